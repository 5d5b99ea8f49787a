/** The {@code autonomic} command: the embedded stack ({@code up}, {@code demo}), the services, operator tools. */
package io.autonomic.cli;
