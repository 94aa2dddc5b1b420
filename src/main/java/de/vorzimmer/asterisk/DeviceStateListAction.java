package de.vorzimmer.asterisk;


import org.asteriskjava.manager.action.AbstractManagerAction;

/**
 * AMI {@code DeviceStateList} (Asterisk 13+), missing from Asterisk-Java 3.41. Asterisk answers with one
 * {@code DeviceStateChange} event per known device, which reach the ordinary event listeners, then
 * {@code DeviceStateListComplete}.
 */
public final class DeviceStateListAction extends AbstractManagerAction {
    private static final long serialVersionUID = 1L;

    @Override
    public String getAction() {
        return "DeviceStateList";
    }
}
