package de.vorzimmer.twilio;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.Override;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.status.StatusService;
import de.vorzimmer.status.StatusTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS webhooks: {@code /twilio/sms} (a reply {@code OK 42} confirms an urgent message, from whoever is on call; a
 * client changes its status from its {@code sms} or {@code reach} number, through the {@link StatusService}, and gets
 * a reply in its language) and {@code /twilio/sms-status} (the provider's delivery reports for the SMS the outbox
 * sent, recorded with the notification).
 */
final class SmsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SmsRoutes.class);

    private final Vertx vertx;
    private final LiveRouting routing;
    private final StatusService status;
    private final OutboxStore outbox;
    private final TwilioWebhooks.SmsConfirmations confirmations;

    /** @param confirmations confirms urgent messages by SMS reply, or null where there are no escalations */
    SmsRoutes(Vertx vertx, LiveRouting routing, StatusService status, OutboxStore outbox,
              TwilioWebhooks.SmsConfirmations confirmations) {
        this.vertx = Objects.requireNonNull(vertx, "vertx == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.status = Objects.requireNonNull(status, "status == null");
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.confirmations = confirmations;
    }

    void mount(Router router) {
        router.post("/twilio/sms").handler(this::sms);
        router.post("/twilio/sms-status").handler(this::smsStatus);
    }

    private void sms(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String messageSid = p.required("MessageSid");
        String from = p.required("From");
        String body = p.present("Body");
        Instant now = routing.now();
        BookIndex index = routing.snapshot().book();
        String sender = PhoneNumbers.normalizeIncoming(from, index.book().defaults().region());
        var confirm = confirmations == null ? java.util.Optional.<SmsCommand.Confirm>empty()
                : SmsCommandParser.confirmation(body);
        if (confirm.isPresent()) {
            // anyone on call may confirm, not only the client's own numbers
            TwilioWebhooks.blocking(vertx, ctx, () -> confirmations.confirm(sender, confirm.get().reference(), now), text -> {
                LOG.info("twilio sms {}: confirmation from {}: {}", TwilioSignatureFilter.clip(messageSid), sender, text);
                reply(ctx, text);
            });
            return;
        }
        Client client = clientBySmsNumber(index, sender);
        if (client == null) {
            LOG.info("twilio sms {}: from unregistered number {}, ignored", TwilioSignatureFilter.clip(messageSid), sender);
            reply(ctx, SmsReplies.unknownSender());
            return;
        }
        ZonedDateTime localNow = now.atZone(client.timezone());
        SmsReplies replies = new SmsReplies(client.language(), localNow);
        SmsCommand command = SmsCommandParser.parse(body, localNow, client.region());
        Override override = null;
        if (command instanceof SmsCommand.SetStatus s) {
            override = new Override(0, client.id(), s.kind(), null, now, s.until(), s.note(), "sms");
        } else if (command instanceof SmsCommand.Expect e) {
            override = new Override(0, client.id(), OverrideKind.EXPECT, e.number(), now, e.until(), e.note(), "sms");
        }
        if (override == null) {
            String text;
            if (command instanceof SmsCommand.Query) text = statusReply(client, replies, now);
            else if (command instanceof SmsCommand.Invalid i) text = replies.invalid(i);
            else text = replies.help();
            LOG.info("twilio sms {}: client {}: {}", TwilioSignatureFilter.clip(messageSid), client.id(),
                    command.getClass().getSimpleName());
            reply(ctx, text);
            return;
        }
        Override toStore = override;
        TwilioWebhooks.blocking(vertx, ctx, () -> status.set(toStore), stored -> {
            LOG.info("twilio sms {}: client {}: override {} {}{}", TwilioSignatureFilter.clip(messageSid), client.id(),
                    stored.id(), stored.kind().word(), stored.until() == null ? "" : " until " + stored.until());
            String text = stored.kind() == OverrideKind.EXPECT
                    ? replies.expecting(stored.number().toString(), stored.until())
                    : replies.statusSet(stored.kind(), stored.until(), reading(client, now).status());
            reply(ctx, text);
        });
    }

    private String statusReply(Client client, SmsReplies replies, Instant now) {
        StatusTimeline.Reading r = reading(client, now);
        List<String> expected = new ArrayList<>();
        List<Override> all = routing.snapshot().live().of(client.id());
        for (Override o : all) {
            if (o.kind() == OverrideKind.EXPECT && StatusTimeline.expecting(all, o.number().digits(), now) == o) {
                expected.add(o.number().toString());
            }
        }
        return replies.status(r.status(), r.until(), r.override() != null
                && r.override().kind() != OverrideKind.SCHEDULE, expected);
    }

    private StatusTimeline.Reading reading(Client client, Instant now) {
        var snapshot = routing.snapshot();
        return StatusService.outlook(client, snapshot.live().of(client.id()), snapshot.calendar(client.id()), now).now();
    }

    private static Client clientBySmsNumber(BookIndex index, String e164) {
        for (Client c : index.book().clients()) {
            if (e164.equals(c.sms()) || e164.equals(c.reach())) return c;
        }
        return null;
    }

    /** A delivery report for an SMS the outbox sent: recorded with its notification (the console shows it). */
    private void smsStatus(RoutingContext ctx) {
        TwilioParams p = ctx.get(TwilioSignatureFilter.PARAMS);
        String messageSid = p.required("MessageSid");
        String state = p.required("MessageStatus");
        String errorCode = p.optional("ErrorCode");
        Instant now = routing.now();
        TwilioWebhooks.blocking(vertx, ctx, () -> outbox.recordDelivery(messageSid, state, errorCode, now), recorded -> {
            if (recorded && !"delivered".equals(state)) {
                LOG.warn("twilio sms {}: not delivered: {}{}", TwilioSignatureFilter.clip(messageSid), state,
                        errorCode == null ? "" : " (error " + TwilioSignatureFilter.clip(errorCode) + ")");
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TwilioWebhooks.XML)
                    .end(Twiml.xml(new MessagingResponse.Builder().build()));
        });
    }

    private static void reply(RoutingContext ctx, String text) {
        Message m = new Message.Builder().body(new Body.Builder(text).build()).build();
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TwilioWebhooks.XML)
                .end(Twiml.xml(new MessagingResponse.Builder().message(m).build()));
    }
}
