package de.vorzimmer.routing;

import de.vorzimmer.book.Action;
import de.vorzimmer.book.Status;
import java.util.List;

/**
 * What to do with one call, and why. Field names mirror the decision JSON of the design.
 *
 * @param client   the client id, or null for a call to no known line
 * @param status   the client's status, or null without a client
 * @param target   the client's reach for put-through, secretary endpoints for screen, empty otherwise
 * @param then     the fallbacks in order
 * @param greeting what the secretary says when answering, or null without a client
 * @param screenTarget the secretary endpoints a screen (or the screen fallback of a put-through) rings;
 *                     not part of the decision JSON, adapters dial it when a put-through fails
 */
public record Decision(String client, String line, CallerInfo caller, Status status, Action action,
                       List<String> target, boolean urgent, List<Action> then, String display, String greeting,
                       List<String> why, List<String> screenTarget) {
    public Decision {
        target = List.copyOf(target);
        screenTarget = List.copyOf(screenTarget);
        then = List.copyOf(then);
        why = List.copyOf(why);
    }
}
