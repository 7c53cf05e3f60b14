package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JaasConfigTests {

    @Test
    void parsesALineAsKafkaUsersWriteIt() {
        JaasConfig jaas = JaasConfig.parse(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"s3cret\";");

        assertThat(jaas.loginModule()).isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
        assertThat(jaas.flag()).isEqualTo("required");
        assertThat(jaas.options()).containsExactly(java.util.Map.entry("username", "alice"),
                java.util.Map.entry("password", "s3cret"));
    }

    @Test
    void readsEscapesBareValuesSpacesAndNewlines() {
        JaasConfig jaas = JaasConfig.parse("  Module\n  optional\n  a=\"say \\\"hi\\\" \\\\ there\"  b=bare\tc = \"x;y=z\"  ;  ");

        assertThat(jaas.flag()).isEqualTo("optional");
        assertThat(jaas.option("a")).isEqualTo("say \"hi\" \\ there");
        assertThat(jaas.option("b")).isEqualTo("bare");
        assertThat(jaas.option("c")).isEqualTo("x;y=z");
    }

    @Test
    void acceptsAModuleWithoutOptions() {
        assertThat(JaasConfig.parse("org.example.Module required;").options()).isEmpty();
    }

    @Test
    void refusesMalformedLinesWithoutQuotingValues() {
        assertThatThrownBy(() -> JaasConfig.parse("Module required password=\"hunter2\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("';'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> JaasConfig.parse("Module required password=\"hunter2;"))
                .hasMessageContaining("unterminated").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> JaasConfig.parse("Module mandatory a=b;")).hasMessageContaining("control flag");
        assertThatThrownBy(() -> JaasConfig.parse("Module required hunter2;")).hasMessageContaining("hunter2")
                .hasMessageContaining("without '=value'"); // an option name, not a value
        assertThatThrownBy(() -> JaasConfig.parse("A required; B required;")).hasMessageContaining("more than one");
        assertThatThrownBy(() -> JaasConfig.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void toStringShowsOptionNamesOnly() {
        JaasConfig jaas = JaasConfig.parse("M required username=\"alice\" password=\"hunter2\";");

        assertThat(jaas.toString()).contains("username", "password").doesNotContain("hunter2", "alice");
    }
}
