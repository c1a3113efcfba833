package io.wharf.api.v2;

import org.springframework.beans.factory.config.BeanPostProcessor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Counts, per thread, the database transactions the application commits and which of them wrote
 * (an {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE} or a locking {@code SELECT ... FOR
 * UPDATE/SHARE}): a bean post-processor that wraps the {@code DataSource} in JDK proxies of the JDBC
 * interfaces, seeing every statement whether it comes from Hibernate, {@code JdbcClient} or Quartz.
 * A write on a connection in auto-commit counts as one transaction of its own.
 */
final class SqlTransactions implements BeanPostProcessor {

    /** A finished transaction: the thread that ran it, and its statements in order. */
    record Transaction(String thread, List<String> statements, boolean wrote) {

        /** Whether its commit waits for the write-ahead log to be flushed (it did not turn {@code synchronous_commit} off). */
        boolean durable() {
            return statements.stream().noneMatch(sql -> sql.toLowerCase(Locale.ROOT).matches("set local synchronous_commit\\s+(to|=)\\s+off.*"));
        }
    }

    private final List<Transaction> done = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !Proxy.isProxyClass(bean.getClass())) {
            return proxy(dataSource, allInterfaces(bean.getClass()), (target, method, args) -> {
                Object result = invoke(target, method, args);
                return result instanceof Connection connection ? new Tracked(connection).proxy() : result;
            });
        }
        return bean;
    }

    /** Forgets what was recorded so far. */
    void clear() {
        done.clear();
    }

    /** The transactions committed (or auto-committed writes) by threads whose name matches. */
    List<Transaction> transactions(Predicate<String> thread) {
        synchronized (done) {
            return done.stream().filter(t -> thread.test(t.thread())).toList();
        }
    }

    /** The committed transactions of request threads (Tomcat's {@code http-nio-...-exec-N}) that wrote. */
    List<Transaction> requestWrites() {
        return transactions(name -> name.startsWith("http-nio-")).stream().filter(Transaction::wrote).toList();
    }

    /** The statements of request threads' committed transactions, in order. */
    List<String> requestStatements() {
        return transactions(name -> name.startsWith("http-nio-")).stream().flatMap(t -> t.statements().stream()).toList();
    }

    static boolean writes(String sql) {
        String s = sql.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("insert") || s.startsWith("update") || s.startsWith("delete") || s.startsWith("merge")
            || s.startsWith("with") && (s.contains(" insert ") || s.contains(" update ") || s.contains(" delete "))
            || s.startsWith("select") && (s.contains(" for update") || s.contains(" for share") || s.contains(" for no key update"));
    }

    /** One connection's statements since its last commit or rollback. */
    private final class Tracked {
        private final Connection connection;
        private final List<String> statements = new ArrayList<>();

        Tracked(Connection connection) {
            this.connection = connection;
        }

        Connection proxy() {
            return SqlTransactions.proxy(connection, new Class<?>[] {Connection.class}, (target, method, args) -> {
                String name = method.getName();
                if (name.equals("commit")) {
                    Object result = invoke(target, method, args);
                    finish();
                    return result;
                }
                if (name.equals("rollback") && (args == null || args.length == 0)) {
                    statements.clear();
                    return invoke(target, method, args);
                }
                if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null && args[0] instanceof String sql) {
                    Object statement = invoke(target, method, args);
                    return statementProxy((Statement) statement, sql, method.getReturnType());
                }
                if (name.equals("createStatement")) {
                    return statementProxy((Statement) invoke(target, method, args), null, Statement.class);
                }
                return invoke(target, method, args);
            });
        }

        private Object statementProxy(Statement statement, String preparedSql, Class<?> type) {
            return SqlTransactions.proxy(statement, new Class<?>[] {type}, (target, method, args) -> {
                if (method.getName().startsWith("execute")) {
                    String sql = args != null && args.length > 0 && args[0] instanceof String given ? given : preparedSql;
                    if (sql != null) {
                        executed(sql);
                    }
                }
                return invoke(target, method, args);
            });
        }

        private void executed(String sql) {
            statements.add(sql);
            try {
                if (connection.getAutoCommit()) {
                    finish();
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void finish() {
            if (!statements.isEmpty()) {
                boolean wrote = statements.stream().anyMatch(SqlTransactions::writes);
                done.add(new Transaction(Thread.currentThread().getName(), List.copyOf(statements), wrote));
                statements.clear();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(T target, Class<?>[] interfaces, Handler<T> handler) {
        InvocationHandler invocation = (p, method, args) -> handler.handle(target, method, args);
        return (T) Proxy.newProxyInstance(SqlTransactions.class.getClassLoader(), interfaces, invocation);
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object handle(T target, Method method, Object[] args) throws Throwable;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Class<?>[] allInterfaces(Class<?> type) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                interfaces.add(i);
            }
        }
        return interfaces.toArray(Class<?>[]::new);
    }
}
