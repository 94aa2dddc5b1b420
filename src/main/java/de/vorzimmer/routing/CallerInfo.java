package de.vorzimmer.routing;

import de.vorzimmer.book.CallerClass;

/** Who is calling: the number in E.164 (empty when anonymous), the caller class and the contact name, if any. */
public record CallerInfo(String number, CallerClass callerClass, String contact) {
}
