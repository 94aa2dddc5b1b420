package de.vorzimmer.asterisk;

import org.asteriskjava.manager.event.UserEvent;

/**
 * {@code UserEvent(VorzimmerTestRouted, ...)} of the sandbox's failover context: what the route lookup got.
 * Asterisk-Java maps a user event to the registered class named after it.
 */
public final class VorzimmerTestRoutedEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String test;
    private String status;
    private String decision;
    private String served;
    private String call;

    public VorzimmerTestRoutedEvent(Object source) {
        super(source);
    }

    public String getTest() {
        return test;
    }

    public void setTest(String test) {
        this.test = test;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    /** {@code VZ_ACTION} (a header named {@code Action} would not reach the event: AMI reserves it). */
    public String getDecision() {
        return decision;
    }

    public void setDecision(String decision) {
        this.decision = decision;
    }

    public String getServed() {
        return served;
    }

    public void setServed(String served) {
        this.served = served;
    }

    public String getCall() {
        return call;
    }

    public void setCall(String call) {
        this.call = call;
    }
}
