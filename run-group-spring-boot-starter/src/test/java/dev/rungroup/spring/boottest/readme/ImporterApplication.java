package dev.rungroup.spring.boottest.readme;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of the README's testing snippets: one actor, the {@link Importer}. */
@SpringBootApplication(proxyBeanMethods = false)
class ImporterApplication {}
