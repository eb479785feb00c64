package io.leadai.pipeline;

import io.leadai.pipeline.migration.MigrateOnly;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LeadAiPipelineApplication {

    public static void main(String[] args) {
        if (MigrateOnly.requested(args)) {
            System.exit(MigrateOnly.migrate(args));
        }
        SpringApplication.run(LeadAiPipelineApplication.class, args);
    }
}
