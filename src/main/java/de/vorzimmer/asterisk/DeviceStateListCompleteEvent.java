package de.vorzimmer.asterisk;

import org.asteriskjava.manager.event.ResponseEvent;

/**
 * {@code DeviceStateListComplete}: the end of Asterisk's answer to {@link DeviceStateListAction} (Asterisk-Java 3.41
 * has no class for it and logged "No event class registered" after every connect).
 */
public final class DeviceStateListCompleteEvent extends ResponseEvent {
    private static final long serialVersionUID = 1L;
    private String eventList;
    private Integer listItems;

    public DeviceStateListCompleteEvent(Object source) {
        super(source);
    }

    public String getEventList() {
        return eventList;
    }

    public void setEventList(String eventList) {
        this.eventList = eventList;
    }

    public Integer getListItems() {
        return listItems;
    }

    public void setListItems(Integer listItems) {
        this.listItems = listItems;
    }
}
