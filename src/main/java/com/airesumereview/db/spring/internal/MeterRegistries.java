package com.airesumereview.db.spring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Boot's {@code MeterRegistry}, when Micrometer is on the classpath and the context has one. The only class of the
 * auto-configuration that links against Micrometer, and loaded only after the class check, so a service without
 * Micrometer never needs it.
 */
public final class MeterRegistries {
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MeterRegistries() {
    }

    /** The context's registry (the {@code @Primary} composite when there are several), or null. */
    public static Object find(BeanFactory beanFactory) {
        if (!ClassUtils.isPresent(METER_REGISTRY, MeterRegistries.class.getClassLoader())) {
            return null;
        }
        return Lookup.find(beanFactory);
    }

    /** Separate, so that {@link MeterRegistries} itself loads without Micrometer. */
    private static final class Lookup {
        static Object find(BeanFactory beanFactory) {
            return beanFactory.getBeanProvider(MeterRegistry.class).getIfAvailable();
        }
    }
}
