/**
 * The README's testing snippets, compiled and run as written: {@code ImporterTests} and {@code
 * ImporterContextTests} mirror its blocks (ReadmeSnippetsTests compares them), {@code
 * ImporterApplication} is the application they test.
 */
@NullMarked
package dev.rungroup.spring.boottest.readme;

import org.jspecify.annotations.NullMarked;
