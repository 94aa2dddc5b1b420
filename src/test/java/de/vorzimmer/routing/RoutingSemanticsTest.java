package de.vorzimmer.routing;

import static de.vorzimmer.routing.TestBooks.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Action;
import de.vorzimmer.status.LiveStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The routing semantics of the design, one row per rule. Columns:
 * <ul>
 *   <li>{@code at}: day and Berlin time in the week of 10 March 2025;</li>
 *   <li>{@code off}: secretaries recorded off duty, {@code &}-joined;</li>
 *   <li>{@code to}, {@code from}, {@code fwd}: the call as the network delivers it; {@code from} written
 *       {@code restricted:NUMBER} sets the presentation-restricted flag;</li>
 *   <li>then the expected decision; empty cells are null, {@code -} is an empty target list;</li>
 *   <li>{@code why}: a reason the decision must give, naming the rule that fired.</li>
 * </ul>
 * See {@link TestBooks} for the clients: mueller (the design's sample), weber (default rules), koch (dnd),
 * hofmann (one own rule per condition type), rossi (Italian), dupont (French, no reach).
 */
class RoutingSemanticsTest {
    private static final RoutingSnapshot SNAPSHOT = new RoutingSnapshot(BookIndex.of(TestBooks.book()),
            LiveStatus.of(TestBooks.overrides()), Set.of());
    private static final String ANNA = "PJSIP/anna";
    private static final Map<Action, List<Action>> FALLBACKS = Map.of(
            Action.PUT_THROUGH, List.of(Action.SCREEN, Action.MESSAGE),
            Action.SCREEN, List.of(Action.MESSAGE),
            Action.MESSAGE, List.of(),
            Action.REJECT, List.of());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
    # rule                                               | at        | off               | to            | from                      | fwd           | client  | line          | class     | contact       | status      | action      | urgent | target                                 | why
    # -- which client: forwarded-from, then dialed; else unknown line
      dialed line identifies the client                  | tue 09:00 |                   | +49301234567  | +49301111111              |               | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | default rule 5
      forwarded-from line beats the dialed line          | tue 09:00 |                   | +49302000000  | +49301111111              | +49301234567  | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | forwarded from line +49301234567 of client 'mueller'
      forwarded-from that is no line: dialed decides     | tue 09:00 |                   | +49301234567  | +49301111111              | +49399999999  | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | default rule 5
      dialed number in national format                   | tue 09:00 |                   | 030 1234567   | +49301111111              |               | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | default rule 5
      forwarded-from in national format                  | tue 09:00 |                   | +49309990000  | +49301111111              | (030) 1234567 | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | forwarded from line +49301234567
      unknown line: screened, no client, all on duty     | tue 09:00 |                   | +49309990000  | +49301111111              |               |         | +49309990000  | unknown   |               |             | screen      | false  | PJSIP/anna&PJSIP/ben&PJSIP/chiara      | unknown line
      unknown line with anonymous caller                 | tue 09:00 |                   | +49309990000  | anonymous                 |               |         | +49309990000  | anonymous |               |             | screen      | false  | PJSIP/anna&PJSIP/ben&PJSIP/chiara      | unknown line
      unknown line, nobody on duty -> message            | tue 09:00 | anna&ben&chiara   | +49309990000  | +49301111111              |               |         | +49309990000  | unknown   |               |             | message     | false  | -                                      | no secretary on duty -> message
    # -- anonymous: empty, anonymous, unknown, restricted, presentation restricted (mueller rule 1 when unavailable)
      anonymous: empty caller ID                         | tue 13:00 |                   | +49301234567  | ''                        |               | mueller | +49301234567  | anonymous |               | unavailable | message     | false  | -                                      | rule 1: caller anonymous, available false -> message
      anonymous: 'anonymous'                             | tue 13:00 |                   | +49301234567  | anonymous                 |               | mueller | +49301234567  | anonymous |               | unavailable | message     | false  | -                                      | rule 1: caller anonymous, available false -> message
      anonymous: 'Unknown' (any case)                    | tue 13:00 |                   | +49301234567  | Unknown                   |               | mueller | +49301234567  | anonymous |               | unavailable | message     | false  | -                                      | rule 1: caller anonymous, available false -> message
      anonymous: 'RESTRICTED'                            | tue 13:00 |                   | +49301234567  | RESTRICTED                |               | mueller | +49301234567  | anonymous |               | unavailable | message     | false  | -                                      | rule 1: caller anonymous, available false -> message
      anonymous: presentation restricted flag            | tue 13:00 |                   | +49301234567  | restricted:+49309876543   |               | mueller | +49301234567  | anonymous |               | unavailable | message     | false  | -                                      | caller is anonymous
      anonymous while available: rule 1 does not hold    | tue 09:00 |                   | +49301234567  | anonymous                 |               | mueller | +49301234567  | anonymous |               | available   | screen      | false  | PJSIP/anna                             | default rule 5
    # -- the design's sample client
      sample: Labor Schmidt hits mueller rule 2 (urgent) | tue 09:00 |                   | +49301234567  | 030 9876543               |               | mueller | +49301234567  | vip       | Labor Schmidt | available   | screen      | true   | PJSIP/anna                             | rule 2: contact 'Labor Schmidt' -> screen (urgent)
      sample: advertiser 0180 pattern is blocked         | tue 09:00 |                   | +49301234567  | +491801234567             |               | mueller | +49301234567  | blocked   | Werbung       | available   | reject      | false  | -                                      | default rule 1: blocked -> reject
    # -- status from windows
      window: second window tue,thu 14:00-18:00          | tue 15:00 |                   | +49301234567  | +49301111111              |               | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | available: window tue,thu 14:00-18:00
      window: none on wednesday afternoon                | wed 15:00 |                   | +49301234567  | +49301111111              |               | mueller | +49301234567  | unknown   |               | unavailable | screen      | false  | PJSIP/anna                             | unavailable: outside hours
    # -- contact classes and the most specific match (weber: default rules only)
      contact vip (exact number) and available           | tue 09:00 |                   | +49302000000  | +49307777777              |               | weber   | +49302000000  | vip       | Partner       | available   | put-through | false  | +491702222222                          | default rule 4: vip and available -> put-through
      contact normal shows as known                      | tue 09:00 |                   | +49302000000  | +49301111111              |               | weber   | +49302000000  | known     | Klein         | available   | screen      | false  | PJSIP/anna&PJSIP/ben                   | default rule 5: otherwise -> screen
      contact blocked (pattern)                          | tue 09:00 |                   | +49302000000  | +49900123456              |               | weber   | +49302000000  | blocked   | Spam          | available   | reject      | false  | -                                      | default rule 1: blocked -> reject
      no contact: unknown                                | tue 09:00 |                   | +49302000000  | +49309876543              |               | weber   | +49302000000  | unknown   |               | available   | screen      | false  | PJSIP/anna&PJSIP/ben                   | caller +49309876543 is unknown
      short pattern only                                 | tue 09:00 |                   | +49302000000  | +49305559999              |               | weber   | +49302000000  | known     | Netz          | available   | screen      | false  | PJSIP/anna&PJSIP/ben                   | is contact 'Netz' (normal)
      longer pattern beats shorter                       | tue 09:00 |                   | +49302000000  | +49305551999              |               | weber   | +49302000000  | vip       | Notdienst     | available   | put-through | false  | +491702222222                          | is contact 'Notdienst' (vip)
      exact number beats patterns                        | tue 09:00 |                   | +49302000000  | +49305551234              |               | weber   | +49302000000  | blocked   | Exakt         | available   | reject      | false  | -                                      | is contact 'Exakt' (blocked)
      caller number in national format                   | tue 09:00 |                   | +49302000000  | 030 5551999               |               | weber   | +49302000000  | vip       | Notdienst     | available   | put-through | false  | +491702222222                          | caller +49305551999 is contact 'Notdienst'
      vip outside hours is screened                      | tue 20:00 |                   | +49302000000  | +49307777777              |               | weber   | +49302000000  | vip       | Partner       | unavailable | screen      | false  | PJSIP/anna&PJSIP/ben                   | default rule 5
      the second line of a client                        | tue 09:00 |                   | +49302000001  | +49307777777              |               | weber   | +49302000001  | vip       | Partner       | available   | put-through | false  | +491702222222                          | default rule 4
    # -- expected callers (expect overrides)
      expected caller                                    | tue 09:00 |                   | +49302000000  | +49309999999              |               | weber   | +49302000000  | expected  |               | available   | put-through | false  | +491702222222                          | default rule 3: expected -> put-through
      expected caller also outside hours                 | tue 20:00 |                   | +49302000000  | +49309999999              |               | weber   | +49302000000  | expected  |               | unavailable | put-through | false  | +491702222222                          | default rule 3: expected -> put-through
      expected beats a blocked pattern                   | tue 09:00 |                   | +49302000000  | +49900777777              |               | weber   | +49302000000  | expected  | Spam          | available   | put-through | false  | +491702222222                          | is expected
      expect that has run out                            | tue 09:00 |                   | +49302000000  | +49308888888              |               | weber   | +49302000000  | unknown   |               | available   | screen      | false  | PJSIP/anna&PJSIP/ben                   | default rule 5
    # -- default rules 1-3 against dnd (koch: dnd override without end)
      default rule 2: dnd screens even a vip             | tue 09:00 |                   | +49304000000  | +49307777777              |               | koch    | +49304000000  | vip       | Chef          | dnd         | screen      | false  | PJSIP/anna                             | default rule 2: dnd -> screen
      default rule 1 comes before dnd                    | tue 09:00 |                   | +49304000000  | +49900123456              |               | koch    | +49304000000  | blocked   | Spam          | dnd         | reject      | false  | -                                      | default rule 1: blocked -> reject
      default rule 2 comes before expected               | tue 09:00 |                   | +49304000000  | +49309999999              |               | koch    | +49304000000  | expected  |               | dnd         | screen      | false  | PJSIP/anna                             | default rule 2: dnd -> screen
      status from override, not hours                    | sun 03:00 |                   | +49304000000  | +49301111111              |               | koch    | +49304000000  | unknown   |               | dnd         | screen      | false  | PJSIP/anna                             | dnd: override dnd set 2025-03-01T00:00:00Z
    # -- client rules, one condition type each; first match wins (hofmann)
      rule caller + available                            | tue 20:00 |                   | +49303000000  | anonymous                 |               | hofmann | +49303000000  | anonymous |               | unavailable | message     | false  | -                                      | rule 1: caller anonymous, available false -> message
      rule contact, urgent                               | tue 20:00 |                   | +49303000000  | +49304444444              |               | hofmann | +49303000000  | known     | Steuerberater | unavailable | put-through | true   | +491703333333                          | rule 2: contact 'Steuerberater' -> put-through (urgent)
      first match wins over a later rule                 | tue 09:00 |                   | +49303000000  | +49304444444              |               | hofmann | +49303000000  | known     | Steuerberater | available   | put-through | true   | +491703333333                          | rule 2: contact 'Steuerberater' -> put-through (urgent)
      rule number pattern                                | tue 09:00 |                   | +49303000000  | +49401234567              |               | hofmann | +49303000000  | unknown   |               | available   | reject      | false  | -                                      | rule 3: number +4940* -> reject
      rule status (override dnd wed 10-11)               | wed 10:30 |                   | +49303000000  | +49309876543              |               | hofmann | +49303000000  | unknown   |               | dnd         | message     | true   | -                                      | rule 4: status dnd -> message (urgent)
      rule status: override has ended                    | wed 11:00 |                   | +49303000000  | +49309876543              |               | hofmann | +49303000000  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | default rule 5
      rule time                                          | sat 10:00 |                   | +49303000000  | +49309876543              |               | hofmann | +49303000000  | unknown   |               | unavailable | message     | false  | -                                      | rule 5: time sat,sun 00:00-24:00 -> message
      rule line                                          | tue 09:00 |                   | +49303000001  | +49309876543              |               | hofmann | +49303000001  | unknown   |               | available   | screen      | true   | PJSIP/anna                             | rule 6: line +49303000001 -> screen (urgent)
      rule caller known includes vip                     | tue 09:00 |                   | +49303000000  | +49304444445              |               | hofmann | +49303000000  | vip       | Mutter        | available   | put-through | false  | +491703333333                          | rule 7: caller known, available true -> put-through
      rule caller vip                                    | tue 20:00 |                   | +49303000000  | +49304444445              |               | hofmann | +49303000000  | vip       | Mutter        | unavailable | message     | false  | -                                      | rule 8: caller vip -> message
      blocked is not known: falls to default rule 1      | tue 09:00 |                   | +49303000000  | +49900123456              |               | hofmann | +49303000000  | blocked   | Spam          | available   | reject      | false  | -                                      | default rule 1: blocked -> reject
      no own rule holds: default rule 5                  | tue 09:00 |                   | +49303000000  | +49309876543              |               | hofmann | +49303000000  | unknown   |               | available   | screen      | false  | PJSIP/anna                             | default rule 5: otherwise -> screen
    # -- screen targets and fallbacks
      screen rings those speaking the client's language  | tue 09:00 |                   | +49305000000  | +49309876543              |               | rossi   | +49305000000  | unknown   |               | available   | screen      | false  | PJSIP/chiara                           | default rule 5
      nobody speaks it: all on duty                      | tue 09:00 |                   | +49306000000  | +49309876543              |               | dupont  | +49306000000  | unknown   |               | available   | screen      | false  | PJSIP/anna&PJSIP/ben&PJSIP/chiara      | no secretary on duty speaks fr: ringing all on duty
      speaker off duty: all on duty                      | tue 09:00 | anna              | +49301234567  | +49301111111              |               | mueller | +49301234567  | unknown   |               | available   | screen      | false  | PJSIP/ben&PJSIP/chiara                 | no secretary on duty speaks de
      no secretary on duty -> message                    | tue 09:00 | anna&ben&chiara   | +49301234567  | +49301111111              |               | mueller | +49301234567  | unknown   |               | available   | message     | false  | -                                      | no secretary on duty -> message
      urgent survives the fallback to message            | tue 09:00 | anna&ben&chiara   | +49301234567  | +49309876543              |               | mueller | +49301234567  | vip       | Labor Schmidt | available   | message     | true   | -                                      | no secretary on duty -> message
      put-through without reach -> screen                | tue 09:00 |                   | +49306000000  | +49307777777              |               | dupont  | +49306000000  | vip       | Patron        | available   | screen      | false  | PJSIP/anna&PJSIP/ben&PJSIP/chiara      | client has no reach number -> screen
    """)
    void routesPerDesign(String rule, String atText, String off, String to, String from, String fwd,
                         String client, String line, String callerClass, String contact, String status,
                         String action, boolean urgent, String target, String why) {
        RoutingSnapshot snapshot = off == null ? SNAPSHOT : SNAPSHOT.withOffDuty(Set.of(off.split("&")));
        boolean restricted = from.startsWith("restricted:");
        Call call = new Call(to, restricted ? from.substring("restricted:".length()) : from, fwd, restricted, null);

        Decision d = Router.decide(snapshot, call, at(atText));

        Action expectedAction = Action.parse(action);
        assertThat(d.client()).as("client").isEqualTo(client);
        assertThat(d.line()).as("line").isEqualTo(line);
        assertThat(d.caller().callerClass().word()).as("caller class").isEqualTo(callerClass);
        assertThat(d.caller().contact()).as("contact").isEqualTo(contact);
        assertThat(d.status() == null ? null : d.status().word()).as("status").isEqualTo(status);
        assertThat(d.action()).as("action").isEqualTo(expectedAction);
        assertThat(d.urgent()).as("urgent").isEqualTo(urgent);
        assertThat(d.target()).as("target").isEqualTo(target.equals("-") ? List.of() : Arrays.asList(target.split("&")));
        assertThat(d.then()).as("then").isEqualTo(FALLBACKS.get(expectedAction));
        assertThat(d.why()).as("why").anySatisfy(w -> assertThat(w).contains(why));
        if (d.caller().callerClass().word().equals("anonymous")) {
            assertThat(d.caller().number()).as("anonymous callers show no number").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
    # case                                     | to            | from          | caller name  | display
      contact name from the book               | +49301234567  | +49309876543  |              | Müller: Labor Schmidt
      book name beats the network's name       | +49301234567  | +49309876543  | LABOR GMBH   | Müller: Labor Schmidt
      a stranger's own name: only as said      | +49301234567  | +49301111111  | Hans Meier   | Müller: +49301111111 (sagt: Hans Meier)
      a name that is the number: the number    | +49301234567  | +49301111111  | 030 1111111  | Müller: +49301111111
      number when there is no name             | +49301234567  | +49301111111  |              | Müller: +49301111111
      number is shown normalised               | +49301234567  | 030 1111111   |              | Müller: +49301111111
      anonymous, in the client's language      | +49301234567  | anonymous     |              | Müller: anonym
      client without short name: its name      | +49302000000  | +49301111111  |              | Kanzlei Weber: Klein
      book name beats what the caller says     | +49302000000  | +49301111111  | Klein        | Kanzlei Weber: Klein
      a stranger's own name, in English        | +49302000000  | +49309999999  | Hans         | Kanzlei Weber: +49309999999 (says: Hans)
      unknown line                             | +49309990000  | +49301111111  |              | ?: +49301111111
    """)
    void displayIsShortNameColonCallerNameOrNumber(String name, String to, String from, String callerName,
                                                   String display) {
        Decision d = Router.decide(SNAPSHOT, new Call(to, from, null, false, callerName), at("tue 09:00"));
        assertThat(d.display()).isEqualTo(display);
    }
}
