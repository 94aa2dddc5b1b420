package de.vorzimmer.phonein;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.messages.Message;
import de.vorzimmer.status.Override;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link PhoneInFacts} from plain collections, for the pure dialog tests. */
final class FakeFacts implements PhoneInFacts {
    static final PinHasher PINS = PinHasher.fast();
    static final String BOOK = PhoneInBooks.START + """
                language: de
                hours: [ { days: mon-fri, from: "08:30", to: "12:00" } ]
            """ + TestClients.JANE_SMITH + """
                sms: "07700 900456"
                pin: "123456"
              - id: nopin
                name: Ohne PIN
                lines: ["030 5555555"]
                reach: "+49 170 5555555"
            """;
    static final Book LOADED = load();

    final Map<String, PinLockout.PinState> pins = new HashMap<>();
    final List<Override> overrides = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();

    private static Book load() {
        try {
            return BookLoader.load(BOOK, PINS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @java.lang.Override
    public String defaultLanguage() {
        return "de";
    }

    @java.lang.Override
    public Client clientByCaller(String callerE164) {
        return LOADED.clients().stream().filter(c -> callerE164.equals(c.reach()) || callerE164.equals(c.sms()))
                .findFirst().orElse(null);
    }

    @java.lang.Override
    public Client clientByCode(String digits) {
        for (Client c : LOADED.clients()) {
            for (String line : c.lines()) {
                if (line.equals("+" + digits) || line.equals("+" + digits.replaceFirst("^00", ""))) return c;
                if (digits.startsWith("0") && !digits.startsWith("00") && line.endsWith(digits.substring(1))
                        && line.length() - digits.length() <= 3) {
                    return c;
                }
            }
        }
        return null;
    }

    @java.lang.Override
    public Client client(String id) {
        return LOADED.clients().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    @java.lang.Override
    public boolean pinMatches(Client client, String pin) {
        return client.pinHash() != null && PINS.verify(pin, client.pinHash());
    }

    @java.lang.Override
    public PinLockout.PinState pinState(String clientId, Instant now) {
        return pins.getOrDefault(clientId, PinLockout.PinState.CLEAR);
    }

    @java.lang.Override
    public List<Override> overrides(String clientId) {
        return overrides.stream().filter(o -> o.clientId().equals(clientId)).toList();
    }

    @java.lang.Override
    public List<Message> unreadMessages(String clientId) {
        return messages.stream().filter(m -> clientId.equals(m.clientId())).toList();
    }

    @java.lang.Override
    public Message message(long id) {
        return messages.stream().filter(m -> m.id() == id).findFirst().orElse(null);
    }
}
