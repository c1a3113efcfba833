/**
 * Scanner registrations: the adapters Wharf scans with, their credentials encrypted at rest, the
 * one default registration and each project's choice. System administrators manage registrations;
 * project administrators pick their project's. Credentials never leave this package in clear
 * except to the adapter client.
 */
@NullMarked
package io.wharf.scanner.registration;

import org.jspecify.annotations.NullMarked;
