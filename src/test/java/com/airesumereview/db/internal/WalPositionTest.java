package com.airesumereview.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ValidationException;
import org.junit.jupiter.api.Test;

class WalPositionTest {
    @Test
    void parsesAndFormatsPostgresLsnText() {
        assertThat(WalPosition.parseLsn("16/B374D848")).isEqualTo(0x16_B374D848L);
        assertThat(WalPosition.formatLsn(0x16_B374D848L)).isEqualTo("16/B374D848");
        assertThat(WalPosition.parseLsn("0/0")).isZero();
    }

    @Test
    void comparesLsnsAboveTheSignBitAsUnsigned() {
        WalPosition high = new WalPosition(7, WalPosition.parseLsn("FFFFFFFF/0"));
        WalPosition low = new WalPosition(7, WalPosition.parseLsn("1/0"));
        assertThat(high.covers(low)).isTrue();
        assertThat(low.covers(high)).isFalse();
        assertThat(WalPosition.later(low, high)).isEqualTo(high);
    }

    @Test
    void positionOfAnotherClusterNeverCoversOne() {
        assertThat(new WalPosition(1, 100).covers(new WalPosition(2, 5))).isFalse();
    }

    @Test
    void tokenRoundTripsAndIsCookieSafe() {
        WalPosition p = new WalPosition(7312345678901234567L, WalPosition.parseLsn("3/A1B2C3D4"));
        String token = p.token();
        assertThat(token).matches("rrdb2\\.[A-Za-z0-9_-]+");
        assertThat(WalPosition.fromToken(token)).isEqualTo(p);
    }

    @Test
    void rejectsWhatIsNotATokenNamingTheField() {
        for (String bad : new String[] {null, "", "rrdb1.", "rrdb1.!!!", "rrdb1.MTIz", "rrdb2.abc", "16/B374D848"}) {
            assertThatThrownBy(() -> WalPosition.fromToken(bad)).as(String.valueOf(bad))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("consistencyToken");
        }
    }

    @Test
    void tokenCarriesTheTimelineAndTokensWithoutOneStillRead() {
        WalPosition p = new WalPosition(7, 3, WalPosition.parseLsn("0/5000"));
        assertThat(WalPosition.fromToken(p.token())).isEqualTo(p);
        String old = "rrdb1." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("7:0/5000".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(WalPosition.fromToken(old)).isEqualTo(new WalPosition(7, 0, 0x5000));
    }

    @Test
    void aPositionOnANewerTimelineIsTheLaterOneEvenAtALowerLsn() {
        WalPosition beforeFailover = new WalPosition(7, 1, 0x9000);
        WalPosition afterFailover = new WalPosition(7, 2, 0x8000);
        assertThat(WalPosition.later(beforeFailover, afterFailover)).isEqualTo(afterFailover);
        assertThat(afterFailover.covers(beforeFailover)).isFalse();
    }
}
