package de.vorzimmer.phonein;

import java.util.List;
import java.util.Objects;

/**
 * One step of the dialog: the new state, what to do ({@code effects}, before anything is said), what to say, and
 * how to collect the next input ({@code ask}), or null to hang up after the prompts.
 */
public record Step(DialogState state, List<Effect> effects, List<Prompt> prompts, Ask ask) {
    public Step {
        Objects.requireNonNull(state, "state == null");
        effects = List.copyOf(effects);
        prompts = List.copyOf(prompts);
        if ((ask == null) != (state.phase() == DialogState.Phase.DONE)) {
            throw new IllegalArgumentException("a step asks for input exactly when the call goes on (phase " + state.phase() + ")");
        }
    }

    public boolean hangsUp() {
        return ask == null;
    }
}
