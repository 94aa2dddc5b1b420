package de.vorzimmer.asterisk;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link CallTracker} needs to know from an AMI event, without Asterisk-Java types. {@code uniqueId} is
 * the Asterisk unique id of the channel the event is about ({@code Uniqueid} header; for dial events the
 * calling channel).
 */
public sealed interface CallEvent {
    String uniqueId();

    Instant at();

    /** {@code VarSet}: a channel variable was set. */
    record VarSet(String uniqueId, String name, String value, Instant at) implements CallEvent {
        public VarSet {
            Objects.requireNonNull(uniqueId, "uniqueId == null");
            Objects.requireNonNull(name, "name == null");
            value = value == null ? "" : value;
            Objects.requireNonNull(at, "at == null");
        }
    }

    /** {@code DialBegin}: the channel started ringing {@code destChannel}. */
    record DialBegin(String uniqueId, String destChannel, String destUniqueId, Instant at) implements CallEvent {
        public DialBegin {
            Objects.requireNonNull(uniqueId, "uniqueId == null");
            Objects.requireNonNull(at, "at == null");
        }
    }

    /** {@code DialEnd}: one dialled destination finished with {@code status} (ANSWER, NOANSWER, BUSY, CANCEL...). */
    record DialEnd(String uniqueId, String destChannel, String destUniqueId, String status, Instant at)
            implements CallEvent {
        public DialEnd {
            Objects.requireNonNull(uniqueId, "uniqueId == null");
            status = status == null ? "" : status;
            Objects.requireNonNull(at, "at == null");
        }
    }

    /** {@code BridgeEnter}: the channel joined a bridge (two parties talking). */
    record BridgeEnter(String uniqueId, String channel, Instant at) implements CallEvent {
        public BridgeEnter {
            Objects.requireNonNull(uniqueId, "uniqueId == null");
            Objects.requireNonNull(at, "at == null");
        }
    }

    /** {@code Hangup}: the channel is gone. */
    record Hangup(String uniqueId, Instant at) implements CallEvent {
        public Hangup {
            Objects.requireNonNull(uniqueId, "uniqueId == null");
            Objects.requireNonNull(at, "at == null");
        }
    }
}
