package de.vorzimmer.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Asterisk's answers as res_agi writes them, read as Asterisk-Java reads them. */
class AgiReplyTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "200 result=1|200|1|NULL|1|1",
            "200 result=0 endpos=8000|200|0|NULL|0|0",
            "200 result=49 endpos=2400|200|49|NULL|49|49",
            "200 result=-1 endpos=0|200|-1|NULL|-1|0",
            "200 result=4711|200|4711|NULL|4711|4711",
            "200 result= (timeout)|200||timeout|-1|0",
            "200 result=12 (timeout)|200|12|timeout|12|12",
            "200 result=1 (Müller (Praxis))|200|1|Müller (Praxis)|1|1",
            "200 result=0|200|0|NULL|0|0",
            "511 Command Not Permitted on a dead channel or intercepted|511||NULL|-1|0",
            "510 Invalid or unknown command|510||NULL|-1|0",
            "520-Invalid command syntax.  Proper usage follows:|520||NULL|-1|0",
            "100 result=0 Trying...|100||NULL|-1|0",
            "HELLO|-1||NULL|-1|0",
            "20x result=1|-1||NULL|-1|0",
    })
    void readsStatusResultAndExtra(String line, int status, String result, String extra, int code, int key) {
        AgiReply r = AgiReply.parse(line);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.result()).isEqualTo(result == null ? "" : result);
        assertThat(r.extra()).isEqualTo(extra);
        assertThat(r.resultCode()).isEqualTo(code);
        assertThat((int) r.resultChar()).isEqualTo(key);
        assertThat(r.firstLine()).isEqualTo(line);
    }
}
