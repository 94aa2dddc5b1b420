package de.vorzimmer.phonein;

/**
 * Everything the phone-in line says, as keys into {@link PromptCatalogue}: the text (Twilio {@code <Say>}, and the
 * source of the generated Asterisk sound files) and the Asterisk sound file, per language.
 */
public enum Phrase {
    WELCOME, ENTER_CODE, ENTER_PIN, INCORRECT, LOCKED, MENU,
    STATUS_IS, AVAILABLE, UNAVAILABLE, DND, UNTIL, BY_HOURS, UNTIL_CHANGED,
    ASK_HOURS, ASK_TIME, ASK_NUMBER, EXPECTING, SAVED, CANCELLED,
    NO_INPUT, TOO_MANY_DIGITS, INVALID, TOO_MANY_TRIES,
    YOU_HAVE, NEW, MESSAGES, ONE_MESSAGE, NO_MESSAGES, MESSAGE, URGENT, FROM, ANONYMOUS, RECEIVED,
    MISSED_CALL, TYPED, TEXT_IN_CONSOLE, RECORDING_ELSEWHERE, MESSAGE_OPTIONS, NO_MORE, GOODBYE, SORRY
}
