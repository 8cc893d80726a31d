package io.connectorhub.app.cli;

import io.connectorhub.app.doctor.Check;
import io.connectorhub.app.doctor.Doctor;
import io.connectorhub.core.ConfigProblem;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hub doctor}: the configuration check, then live checks of every credential and target the hub would use. It
 * needs no running hub. Exit 0 when every check passes, else 1.
 */
@Command(
        name = "doctor",
        description = "Check the configuration (as config check does), then each enabled platform's credentials, each"
                + " openai agent's API, and the stored agent gateways and webhook receivers, live. Needs no running"
                + " hub. Exit 1 when a check fails.")
final class DoctorCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws InterruptedException {
        HubCommand root = HubCommand.of(spec);
        ConfigReport report = ConfigReport.read(root.configChoice(), root.env());
        PrintWriter out = spec.commandLine().getOut();
        if (!json.on) report.print(out);
        List<Check> checks = new ArrayList<>();
        checks.add(configCheck(report));
        if (report.ok()) checks.addAll(new Doctor(report.config(), TIMEOUT).run());
        boolean ok = checks.stream().allMatch(Check::ok);
        if (json.on) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", ok);
            result.put("checks", checks);
            json.print(spec, result);
        } else if (!report.ok()) {
            out.println("Fix the configuration first: the live checks need it.");
        } else {
            for (Check c : checks.subList(1, checks.size()))
                out.println(
                        (c.ok() ? "ok   " : "FAIL ") + c.name() + ": " + c.detail() + (c.ok() ? "" : ": " + c.fix()));
            if (checks.size() == 2
                    && checks.get(1).name().equals("store")
                    && checks.get(1).ok())
                out.println("No platform channel is enabled and no openai agent is configured: nothing else to check.");
            long failed = checks.stream().filter(c -> !c.ok()).count();
            out.println(
                    failed == 0
                            ? "All " + checks.size() + " checks passed."
                            : failed + " of " + checks.size() + " checks failed.");
        }
        return ok ? 0 : 1;
    }

    private static Check configCheck(ConfigReport report) {
        return new Check(
                "config",
                report.ok(),
                report.summary()
                        + report.problems().stream()
                                .map(ConfigProblem::toString)
                                .collect(Collectors.joining("; ", report.ok() ? "" : ": ", "")),
                report.ok() ? null : "correct the keys named (./hub config check lists them)");
    }
}
