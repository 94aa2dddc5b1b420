package de.vorzimmer.asterisk;


import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiChannelFactory;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.internal.AgiChannelImpl;

/**
 * Asterisk-Java's status variable {@code AJ_AGISTATUS} ({@code SUCCESS}, {@code FAILED}, {@code NOT_FOUND}),
 * which its connection handler sets with its own {@code SET VARIABLE} after every script: one more round trip
 * per call. A script that hands its result over in a single command (the {@code route} script's {@code MSet})
 * sets the status in that same command and tells the channel so; the channel then leaves out the handler's
 * repeat of the same value. Any other value (a script that failed after all) is still sent, so the variable
 * always ends as Asterisk-Java would leave it.
 */
public final class AgiStatus {
    public static final String VARIABLE = "AJ_AGISTATUS";
    public static final String SUCCESS = "SUCCESS";

    private AgiStatus() {
    }

    /** Channels that know which status value their script already set. */
    static AgiChannelFactory channelFactory() {
        return StatusChannel::new;
    }

    /**
     * {@code variables} with {@code AJ_AGISTATUS=SUCCESS} inserted before the last entry, so the entry that
     * completes the decision ({@code VZ_ACTION}) stays last.
     */
    public static Map<String, String> withSuccess(Map<String, String> variables) {
        Map<String, String> out = new LinkedHashMap<>(variables.size() * 2 + 2);
        Iterator<Map.Entry<String, String>> it = variables.entrySet().iterator();
        int left = variables.size();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            if (--left == 0) out.put(VARIABLE, SUCCESS);
            out.put(e.getKey(), e.getValue());
        }
        if (variables.isEmpty()) out.put(VARIABLE, SUCCESS);
        return out;
    }

    /**
     * Records that the script's last command set {@code AJ_AGISTATUS} to {@code value} on the channel. Without
     * effect on channels not made by {@link #channelFactory()} (they send the status again, as Asterisk-Java
     * always does).
     */
    public static void alreadySet(AgiChannel channel, String value) {
        if (channel instanceof StatusChannel c) c.statusSet = value;
    }

    /** Distinct {@code agi_version} strings remembered; more (a peer sending junk) are worked out each time. */
    static final int MAX_VERSIONS = 16;
    private static final ConcurrentHashMap<String, AsteriskVersion> VERSIONS = new ConcurrentHashMap<>();

    private static final class StatusChannel extends AgiChannelImpl {
        /** Only the connection's own thread touches a channel (one script per connection). */
        private String statusSet;

        private final AgiRequest request;

        StatusChannel(AgiRequest request, AgiWriter writer, AgiReader reader) {
            super(request, writer, reader);
            this.request = request;
        }

        /**
         * Asterisk-Java works the PBX's version out of {@code agi_version} with a list of regular expressions
         * before every command; a PBX reports the same few versions all day, so the answer is kept per string.
         */
        @Override
        public AsteriskVersion getAsteriskVersion() {
            Map<String, String> env = request == null ? null : request.getRequest();
            String reported = env == null ? null : env.get("version");
            if (reported == null) return super.getAsteriskVersion();
            AsteriskVersion known = VERSIONS.get(reported);
            if (known != null) return known;
            AsteriskVersion found = super.getAsteriskVersion();
            if (VERSIONS.size() < MAX_VERSIONS) VERSIONS.putIfAbsent(reported, found);
            return found;
        }

        @Override
        public void setVariable(String name, String value) throws AgiException {
            if (statusSet != null && VARIABLE.equals(name) && statusSet.equals(value)) return;
            super.setVariable(name, value);
        }
    }
}
