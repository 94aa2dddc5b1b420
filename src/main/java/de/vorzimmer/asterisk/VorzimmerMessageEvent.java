package de.vorzimmer.asterisk;

import org.asteriskjava.manager.event.UserEvent;

/**
 * {@code UserEvent(VorzimmerMessage, ...)} sent by the dialplan's hangup handler after a message was
 * recorded. Asterisk-Java fills it by reflection (one setter per header), so it is public and mutable.
 */
public final class VorzimmerMessageEvent extends UserEvent {
    private static final long serialVersionUID = 1L;

    private String client;
    private String recording;
    private String urgent;
    private String caller;
    private String callerName;
    private String dialed;
    private String forwardedFrom;
    private String fallback;
    private String metadata;
    private String time;

    public VorzimmerMessageEvent(Object source) {
        super(source);
    }

    public String getClient() {
        return client;
    }

    public void setClient(String client) {
        this.client = client;
    }

    public String getRecording() {
        return recording;
    }

    public void setRecording(String recording) {
        this.recording = recording;
    }

    public String getUrgent() {
        return urgent;
    }

    public void setUrgent(String urgent) {
        this.urgent = urgent;
    }

    public String getCaller() {
        return caller;
    }

    public void setCaller(String caller) {
        this.caller = caller;
    }

    public String getCallerName() {
        return callerName;
    }

    public void setCallerName(String callerName) {
        this.callerName = callerName;
    }

    public String getDialed() {
        return dialed;
    }

    public void setDialed(String dialed) {
        this.dialed = dialed;
    }

    public String getForwardedFrom() {
        return forwardedFrom;
    }

    public void setForwardedFrom(String forwardedFrom) {
        this.forwardedFrom = forwardedFrom;
    }

    public String getFallback() {
        return fallback;
    }

    public void setFallback(String fallback) {
        this.fallback = fallback;
    }

    public String getMetadata() {
        return metadata;
    }

    public void setMetadata(String metadata) {
        this.metadata = metadata;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }
}
