/**
 * Encryption at rest of the secrets Wharf must be able to read back (credentials of remote
 * registries and scanners): {@link io.wharf.core.crypto.SecretCipher}.
 */
@NullMarked
package io.wharf.core.crypto;

import org.jspecify.annotations.NullMarked;
