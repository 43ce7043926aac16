/** Tests of an application with actors under {@code @SpringBootTest}. */
@NullMarked
package dev.rungroup.spring.boottest;

import org.jspecify.annotations.NullMarked;
