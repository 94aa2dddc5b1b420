package de.vorzimmer.phonein;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a phone-in call stands, immutable and small enough to keep per Twilio CallSid between webhooks.
 *
 * @param phase        the prompt the caller is at
 * @param caller       the caller's number, E.164 where readable, empty when anonymous
 * @param clientId     the client the caller claims to be (by caller ID or code), or null; logged in from MENU on
 * @param recognised   the client was recognised by caller ID (a wrong PIN asks for the PIN again, not the code)
 * @param language     {@code de} or {@code en}
 * @param loginFailures wrong PINs in this call
 * @param retries      bad or missing inputs in a row at the current prompt
 * @param queue        the messages being heard (ids, oldest first) and {@code index} the current one
 * @param seq          steps taken; the Twilio adapter puts it into the callback URL to ignore a replayed request
 */
public record DialogState(Phase phase, String caller, String clientId, boolean recognised, String language,
                          int loginFailures, int retries, List<Long> queue, int index, int seq) {
    public enum Phase { ASK_CODE, ASK_PIN, MENU, ASK_HOURS, ASK_TIME, ASK_NUMBER, MESSAGE, DONE }

    public DialogState {
        Objects.requireNonNull(phase, "phase == null");
        caller = caller == null ? "" : caller;
        language = PromptCatalogue.language(language);
        queue = List.copyOf(queue);
        if (loginFailures < 0 || retries < 0 || index < 0 || seq < 0) {
            throw new IllegalArgumentException("negative counter in " + phase);
        }
        if (phase.ordinal() >= Phase.MENU.ordinal() && phase != Phase.DONE && clientId == null) {
            throw new IllegalArgumentException(phase + " needs a logged-in client");
        }
    }

    public boolean loggedIn() {
        return phase.ordinal() >= Phase.MENU.ordinal() && phase != Phase.DONE;
    }

    DialogState to(Phase p) {
        return new DialogState(p, caller, clientId, recognised, language, loginFailures, 0, queue, index, seq);
    }

    DialogState withRetries(int r) {
        return new DialogState(phase, caller, clientId, recognised, language, loginFailures, r, queue, index, seq);
    }

    DialogState withClient(String id, String lang) {
        return new DialogState(phase, caller, id, recognised, lang, loginFailures, retries, queue, index, seq);
    }

    DialogState withLoginFailures(int n) {
        return new DialogState(phase, caller, clientId, recognised, language, n, retries, queue, index, seq);
    }

    DialogState withQueue(List<Long> ids, int i) {
        return new DialogState(phase, caller, clientId, recognised, language, loginFailures, retries, ids, i, seq);
    }

    DialogState nextSeq() {
        return new DialogState(phase, caller, clientId, recognised, language, loginFailures, retries, queue, index, seq + 1);
    }

    public String toJson() {
        JsonArray q = new JsonArray();
        queue.forEach(q::add);
        return new JsonObject().put("phase", phase.name()).put("caller", caller).put("client", clientId)
                .put("recognised", recognised).put("lang", language).put("loginFailures", loginFailures)
                .put("retries", retries).put("queue", q).put("index", index).put("seq", seq).encode();
    }

    /** @throws IllegalArgumentException if {@code json} is not what {@link #toJson} wrote */
    public static DialogState fromJson(String json) {
        try {
            JsonObject o = new JsonObject(json);
            List<Long> q = new ArrayList<>();
            for (Object id : o.getJsonArray("queue", new JsonArray())) q.add(((Number) id).longValue());
            return new DialogState(Phase.valueOf(o.getString("phase")), o.getString("caller"), o.getString("client"),
                    o.getBoolean("recognised", false), o.getString("lang"), o.getInteger("loginFailures", 0),
                    o.getInteger("retries", 0), q, o.getInteger("index", 0), o.getInteger("seq", 0));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a phone-in dialog state: " + e.getMessage(), e);
        }
    }
}
