package io.leadai.pipeline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LeadAiPipelineApplication {

    public static void main(String[] args) {
        SpringApplication.run(LeadAiPipelineApplication.class, args);
    }
}
