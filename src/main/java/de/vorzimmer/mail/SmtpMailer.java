package de.vorzimmer.mail;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.Delivery;
import de.vorzimmer.notify.Notification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.notify.SendFailure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends the outbox's e-mails through SMTP (Vert.x mail client): STARTTLS and login as configured, one SMTP
 * exchange per attempt, written when it is sent from the message(s) the row tells about (the recording attached).
 * Failures are sorted as for SMS: a refused or dropped connection, a time-out, a 4xx reply and a failed login are
 * worth another try (the outbox retries with backoff until the give-up time); a 5xx reply for the address is not.
 * The password never appears in a log line or an error.
 */
public final class SmtpMailer implements Delivery, AutoCloseable {
    /** How e-mail reaches the SMTP server. {@link #toString()} leaves the password out. */
    public record Settings(String host, int port, StartTLSOptions starttls, String user, String password, String from,
                           Duration timeout, String trustPem, String consoleUrl) {
        public Settings {
            Objects.requireNonNull(host, "host == null");
            Objects.requireNonNull(starttls, "starttls == null");
            Objects.requireNonNull(from, "from == null");
            Objects.requireNonNull(timeout, "timeout == null");
            Objects.requireNonNull(consoleUrl, "consoleUrl == null");
        }

        /** {@code required}, {@code optional} or {@code off}. */
        public static StartTLSOptions starttls(String word) {
            return switch (word == null ? "" : word.trim().toLowerCase(Locale.ROOT)) {
                case "required" -> StartTLSOptions.REQUIRED;
                case "optional" -> StartTLSOptions.OPTIONAL;
                case "off", "disabled" -> StartTLSOptions.DISABLED;
                default -> throw new IllegalArgumentException("'" + word + "' is not required, optional or off");
            };
        }

        @Override
        public String toString() {
            return (user == null ? "" : user + "@") + host + ":" + port + " (STARTTLS " + starttls.name().toLowerCase(Locale.ROOT)
                    + ", from " + from + ")";
        }
    }

    private final Settings settings;
    private final MailClient client;
    private final OutboxStore outbox;
    private final MessageStore messages;
    private final Supplier<Book> book;
    private final Recordings recordings;
    private final java.time.Clock clock;

    public SmtpMailer(Vertx vertx, Settings settings, OutboxStore outbox, MessageStore messages, Supplier<Book> book,
                      Recordings recordings, java.time.Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.book = Objects.requireNonNull(book, "book == null");
        this.recordings = Objects.requireNonNull(recordings, "recordings == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        int ms = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        MailConfig config = new MailConfig().setHostname(settings.host()).setPort(settings.port())
                .setStarttls(settings.starttls()).setConnectTimeout(ms).setIdleTimeout(ms)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setKeepAlive(false).setMaxPoolSize(2)
                .setSslHandshakeTimeout(ms).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (settings.user() != null) {
            config.setLogin(LoginOption.REQUIRED).setUsername(settings.user()).setPassword(settings.password());
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        if (settings.trustPem() != null) config.setTrustOptions(new PemTrustOptions().addCertPath(settings.trustPem()));
        this.client = MailClient.create(vertx, config);
    }

    @Override
    public String deliver(Notification n) throws SendFailure {
        Client c = book.get().clients().stream().filter(x -> x.id().equals(n.clientId())).findFirst().orElse(null);
        if (c == null) throw new SendFailure(true, "client '" + n.clientId() + "' is no longer in the book", null);
        List<Message> about = new ArrayList<>();
        for (long id : outbox.messageIds(n.id())) messages.get(id).ifPresent(about::add);
        MailMessage mail = new MailMessage().setFrom(settings.from()).setTo(n.to());
        if (n.kind() == NotificationKind.DIGEST) {
            LocalDate day = ZonedDateTime.ofInstant(n.createdAt(), c.timezone()).toLocalDate();
            List<Message> unconfirmed = messages.unconfirmedUrgent(c.id(), 20);
            MailText.Mail m = MailText.digest(c, day, about, unconfirmed, settings.consoleUrl());
            mail.setSubject(m.subject()).setText(m.text()).setHtml(m.html());
        } else {
            if (about.isEmpty()) throw new SendFailure(true, "the message of this e-mail is gone", null);
            Message m = about.get(0);
            Optional<Recordings.Audio> audio;
            try {
                audio = recordings.fetch(m.recordingPath(), m.id());
            } catch (IOException e) {
                throw new SendFailure(false, "recording: " + e.getMessage(), e);
            }
            MailText.Mail text = MailText.message(c, m, settings.consoleUrl(), audio.isPresent());
            mail.setSubject(text.subject()).setText(text.text()).setHtml(text.html());
            audio.ifPresent(a -> mail.setAttachment(MailAttachment.create().setName(a.fileName())
                    .setContentType(a.contentType()).setDisposition("attachment").setData(Buffer.buffer(a.bytes()))));
        }
        try {
            MailResult r = client.sendMail(mail).await(settings.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            return r.getMessageID() == null ? "smtp-" + n.id() : r.getMessageID();
        } catch (SMTPException e) {
            String what = "SMTP " + e.getReplyCode() + ": " + clean(e.getReplyMessage());
            // 535 (login refused) is the operator's to fix: keep trying until the give-up time, as with Twilio's 401
            boolean permanent = e.isPermanent() && e.getReplyCode() != 535 && e.getReplyCode() != 530;
            throw new SendFailure(permanent, what, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SendFailure(false, "SMTP " + settings.host() + ":" + settings.port() + " did not answer within "
                    + settings.timeout().multipliedBy(3).toSeconds() + " s", e);
        } catch (Exception e) {
            throw new SendFailure(false, "SMTP " + settings.host() + ":" + settings.port() + ": " + clean(String.valueOf(
                    e.getMessage())), e);
        }
    }

    /** An error text without the password, whatever a server echoes. */
    private String clean(String s) {
        if (s == null) return "";
        String p = settings.password();
        return p == null || p.isEmpty() ? s : s.replace(p, "***");
    }

    @Override
    public void close() {
        client.close();
    }
}
