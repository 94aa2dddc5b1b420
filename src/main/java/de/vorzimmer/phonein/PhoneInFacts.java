package de.vorzimmer.phonein;

import de.vorzimmer.book.Client;
import de.vorzimmer.messages.Message;
import de.vorzimmer.status.CalendarView;
import de.vorzimmer.status.Override;
import java.time.Instant;
import java.util.List;

/**
 * What the dialog may look up, read-only: the book, the live overrides, the PIN record and the messages. The
 * dialog itself does no I/O; {@link PhoneInLine} answers these from the store and the routing snapshot, tests from
 * plain maps.
 */
public interface PhoneInFacts {
    /** The language the line speaks before it knows the client (the book's default). */
    String defaultLanguage();

    /** The client whose {@code reach} or {@code sms} number is {@code callerE164}, or null. */
    Client clientByCaller(String callerE164);

    /**
     * The client a caller names with a code: one of the client's lines, dialled nationally ({@code 0301234567})
     * or internationally without {@code +} ({@code 49301234567}, {@code 0049301234567}); null if none.
     */
    Client clientByCode(String digits);

    /** The client with this id, or null (the book may have changed during the call). */
    Client client(String id);

    /** True if {@code pin} is the client's PIN (a client without a PIN has none that matches). */
    boolean pinMatches(Client client, String pin);

    PinLockout.PinState pinState(String clientId, Instant now);

    /** The client's live overrides, oldest first, as routing sees them. */
    List<Override> overrides(String clientId);

    /** The client's calendar and public holidays as routing sees them (none by default). */
    default CalendarView calendar(String clientId) {
        return CalendarView.NONE;
    }

    /** The client's messages not yet read (new or notified), oldest first. */
    List<Message> unreadMessages(String clientId);

    /** A message by id, or null. */
    Message message(long id);
}
