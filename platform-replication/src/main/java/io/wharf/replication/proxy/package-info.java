/**
 * Proxy-cache projects (docs/proxy.md): {@link io.wharf.replication.proxy.ProxyCache} fills a
 * project bound to a registry endpoint from that upstream, through the replication module's upstream
 * client, when core's registry asks it to; {@link io.wharf.replication.proxy.ProxyExpiry} deletes
 * what nobody pulled for {@code wharf.proxy.expire-after}.
 */
@NullMarked
package io.wharf.replication.proxy;

import org.jspecify.annotations.NullMarked;
