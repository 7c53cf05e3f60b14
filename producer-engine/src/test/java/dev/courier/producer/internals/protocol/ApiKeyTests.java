package dev.courier.producer.internals.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyTests {

    @Test
    void carriesTheWireIdsAndClientVersionRanges() {
        assertThat(ApiKey.PRODUCE.id).isEqualTo((short) 0);
        assertThat(ApiKey.METADATA.id).isEqualTo((short) 3);
        assertThat(ApiKey.API_VERSIONS.id).isEqualTo((short) 18);
        assertThat(ApiKey.INIT_PRODUCER_ID.id).isEqualTo((short) 22);
        assertThat(ApiKey.PRODUCE.oldestVersion).isEqualTo((short) 9);
        assertThat(ApiKey.PRODUCE.latestVersion).isEqualTo((short) 13);
        assertThat(ApiKey.API_VERSIONS.oldestVersion).isEqualTo((short) 0);
        assertThat(ApiKey.API_VERSIONS.latestVersion).isEqualTo((short) 3);
    }

    @Test
    void switchesToFlexibleHeadersFromTheFlexibleVersionOn() {
        assertThat(ApiKey.API_VERSIONS.isFlexible((short) 2)).isFalse();
        assertThat(ApiKey.API_VERSIONS.isFlexible((short) 3)).isTrue();
        assertThat(ApiKey.API_VERSIONS.requestHeaderVersion((short) 2)).isEqualTo((short) 1);
        assertThat(ApiKey.API_VERSIONS.requestHeaderVersion((short) 3)).isEqualTo((short) 2);
        assertThat(ApiKey.PRODUCE.isFlexible((short) 9)).isTrue();
        assertThat(ApiKey.PRODUCE.requestHeaderVersion((short) 9)).isEqualTo((short) 2);
        assertThat(ApiKey.PRODUCE.responseHeaderVersion((short) 9)).isEqualTo((short) 1);
        assertThat(ApiKey.INIT_PRODUCER_ID.isFlexible((short) 2)).isTrue();
        assertThat(ApiKey.METADATA.responseHeaderVersion((short) 13)).isEqualTo((short) 1);
    }

    @Test
    void answersApiVersionsWithResponseHeaderZeroEvenWhenFlexible() {
        for (short v = 0; v <= 3; v++) {
            assertThat(ApiKey.API_VERSIONS.responseHeaderVersion(v)).isZero();
        }
    }

    @Test
    void findsKeysByWireIdAndReturnsNullForUnknownIds() {
        for (ApiKey key : ApiKey.values()) {
            assertThat(ApiKey.forId(key.id)).isSameAs(key);
        }
        assertThat(ApiKey.forId(1)).isNull();
        assertThat(ApiKey.forId(-1)).isNull();
        assertThat(ApiKey.forId(1000)).isNull();
    }
}
