package de.vorzimmer.asterisk;

import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;

/**
 * {@code DeviceStateChange} as Asterisk sends it, including in answer to {@link DeviceStateListAction}, when it carries
 * the action's {@code ActionID}: Asterisk-Java's own event class has no such property and logged a warning for every
 * device after every connect. Registered in place of it; still a {@link DeviceStateChangeEvent} to every listener.
 */
@AsteriskMapping("DeviceStateChange")
public final class ListedDeviceStateEvent extends DeviceStateChangeEvent {
    private static final long serialVersionUID = 1L;
    private String actionId;

    public ListedDeviceStateEvent(Object source) {
        super(source);
    }

    public String getActionId() {
        return actionId;
    }

    public void setActionId(String actionId) {
        this.actionId = actionId;
    }
}
