package io.connectorhub.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API package ({@code io.connectorhub.core}) is closed over itself: nothing a channel can see in it names an
 * internal type, so a channel never needs one. Internal classes are final. Read from hub-core's compiled classes.
 */
class ApiBoundaryTest {
    private static final String INTERNAL = "io.connectorhub.core.internal";

    /** The top-level and nested classes compiled into {@code package} (sub-packages included). */
    private static List<Class<?>> classes(String packageName) throws IOException, URISyntaxException {
        Path root = Path.of(BaseChannel.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path dir = root.resolve(packageName.replace('.', '/'));
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("package-info")) continue;
                try {
                    found.add(Class.forName(name, false, ApiBoundaryTest.class.getClassLoader()));
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(name, e);
                }
            }
        }
        return found;
    }

    private static boolean visible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers()) && !Modifier.isProtected(c.getModifiers())) return false;
        }
        return true;
    }

    private static boolean visible(Member member) {
        return Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers());
    }

    private static void check(List<String> leaks, Object where, Type... types) {
        for (Type t : types) {
            if (t.getTypeName().contains(INTERNAL)) leaks.add(where + " uses " + t.getTypeName());
        }
    }

    @Test
    void theApiNamesNoInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : classes("io.connectorhub.core")) {
            if (c.getPackageName().startsWith(INTERNAL) || !visible(c)) continue;
            check(leaks, c, c.getGenericSuperclass() == null ? Object.class : c.getGenericSuperclass());
            check(leaks, c, c.getGenericInterfaces());
            for (Field f : c.getDeclaredFields()) if (visible(f)) check(leaks, f, f.getGenericType());
            List<Executable> executables = new ArrayList<>(List.of(c.getDeclaredMethods()));
            executables.addAll(List.<Constructor<?>>of(c.getDeclaredConstructors()));
            for (Executable e : executables) {
                if (!visible(e)) continue;
                check(leaks, e, e.getGenericParameterTypes());
                check(leaks, e, e.getGenericExceptionTypes());
                if (e instanceof Method m) check(leaks, m, m.getGenericReturnType());
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void internalClassesAreFinal() throws Exception {
        List<Class<?>> internal = classes(INTERNAL);
        assertTrue(internal.size() > 10, internal.toString());
        List<String> open = internal.stream()
                .filter(c -> !c.isInterface() && !c.isEnum() && !c.isRecord() && !c.isAnonymousClass())
                .filter(c -> !Modifier.isFinal(c.getModifiers()))
                .map(Class::getName)
                .toList();
        assertEquals(List.of(), open);
    }
}
