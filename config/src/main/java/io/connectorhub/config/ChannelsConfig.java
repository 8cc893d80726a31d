package io.connectorhub.config;

import io.connectorhub.core.ChannelSettings;
import io.connectorhub.core.Problems;
import java.util.List;

/** The sections of the installed channels ({@code channels.<name>}), one per installed channel module, by name. */
public record ChannelsConfig(List<ChannelSection<?>> sections) implements Section {
    public ChannelsConfig {
        sections = List.copyOf(sections);
    }

    /** The section of the installed channel {@code name}, or null. */
    public ChannelSection<?> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** The settings of the installed channel {@code name}, of its module's {@code type}. */
    public <S extends ChannelSettings> S settings(String name, Class<S> type) {
        ChannelSection<?> section = section(name);
        if (section == null) throw new IllegalArgumentException("no channel named " + name + " is installed");
        return type.cast(section.settings());
    }

    /** The sections of the enabled channels. */
    public List<ChannelSection<?>> enabled() {
        return sections.stream().filter(ChannelSection::enabled).toList();
    }

    @Override
    public void check(String path, Problems problems) {
        for (ChannelSection<?> s : sections) s.check(path + "." + s.name(), problems);
    }
}
