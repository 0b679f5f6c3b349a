# cxtm-o11y's installer: runs in the app's own image, before the app, as an init container
# (`python3 -c <this> <plan> <sitecustomize>`), and fills the shared volume with the OpenTelemetry packages the
# app needs, without replacing any library the app already has.
#
# 1. Reads the distributions the app's interpreter sees (its sys.path, without the volume).
# 2. Picks the instrumentations whose libraries the app has, in the range each supports.
# 3. Walks what they and the base set require: a requirement the app already meets is the
#    app's (kept, not installed); one it has at another version stops here with one line
#    naming the package, the app's version and the range needed; the rest come from the lock.
# 4. Installs exactly those, pinned, with --no-deps (pip) or copies them out of the prebuilt
#    image's folder, then checks that the volume overrides none of the app's distributions.
# 5. Writes the sitecustomize that starts OpenTelemetry in the app's process.
#
# Every line it prints starts with "cxtm-o11y installer:"; a failure is one line on stderr and
# in the container's termination message, with its own exit code. `--dry-run` (tests) prints
# the decision as JSON and changes nothing. Runs on any Python 3 so that an old one is named.
import json
import os
import re
import shutil
import subprocess
import sys

EXIT_CONFLICT = 2
EXIT_NO_PIP = 3
EXIT_INSTALL = 4
EXIT_PLAN = 5
EXIT_PYTHON = 6
PREFIX = "cxtm-o11y installer: "
# pip settings an image may carry in its environment that break an install into a folder, or
# make it resolve or build differently; network settings (index, proxy, certificates) stay.
PIP_ENV_DROPPED = ("PIP_USER", "PIP_REQUIRE_VIRTUALENV", "PIP_TARGET", "PIP_PREFIX", "PIP_ROOT",
                   "PIP_CONSTRAINT", "PIP_REQUIREMENT", "PIP_REQUIRE_HASHES", "PIP_NO_BINARY",
                   "PIP_ONLY_BINARY", "PIP_PRE", "PIP_UPGRADE", "PIP_NO_DEPS", "PIP_EDITABLE",
                   "PIP_SRC", "PIP_NO_BUILD_ISOLATION", "PIP_BREAK_SYSTEM_PACKAGES")


class Stop(Exception):
    def __init__(self, code, text):
        Exception.__init__(self, text)
        self.code = code


def say(text):
    print(PREFIX + text, flush=True)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def load_packaging(extra_path):
    """pip's own copy of packaging (every image with pip has it), else the app's, else the one
    in the prebuilt folder."""
    try:
        from pip._vendor.packaging import markers, requirements, version
        return requirements.Requirement, version.Version, markers
    except ImportError:
        pass
    if extra_path:
        sys.path.append(extra_path)
    try:
        from packaging import markers, requirements, version
        return requirements.Requirement, version.Version, markers
    except ImportError:
        return None


def app_distributions(plan, excluded_dirs):
    """{canonical name: (name, version, folder)} as the app's interpreter finds them: the first
    on its path wins, as for an import."""
    import importlib.metadata as metadata
    excluded = [os.path.realpath(d) for d in excluded_dirs]

    def ours(entry):
        real = os.path.realpath(entry or ".")
        return any(real == d or real.startswith(d + os.sep) for d in excluded)

    path = [e for e in plan.get("app_pythonpath", []) if e and not ours(e)]
    path += [e for e in sys.path if e and not ours(e) and e not in path]
    found = {}
    for entry in path:
        for dist in metadata.distributions(path=[entry]):
            name = dist.metadata["Name"]
            if not name or canonical(name) in found:
                continue
            found[canonical(name)] = (name, dist.version, entry)
    return found


class Resolver:
    def __init__(self, plan, installed, packaging):
        self.Requirement, self.Version, self.markers = packaging
        self.plan = plan
        self.lock = {canonical(k): v for k, v in plan["lock"].items()}
        self.names = {canonical(k): k for k in plan["lock"]}
        self.installed = installed
        self.install = {}   # canonical name -> version, from the lock
        self.kept = {}      # canonical name -> the app's version
        self.conflicts = []

    def satisfied(self, specifier, version):
        try:
            return specifier.contains(self.Version(version), prereleases=True)
        except Exception:  # a version that is not PEP 440: pip could not resolve it either
            return False

    def require(self, text, wanted_by):
        requirement = self.Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            return
        name = canonical(requirement.name)
        if name in self.install or name in self.kept:
            have = self.install.get(name) or self.kept.get(name)
            if not self.satisfied(requirement.specifier, have):
                self.conflict(name, have, text, wanted_by)
            return
        app = self.installed.get(name)
        if app is not None:
            if self.satisfied(requirement.specifier, app[1]):
                self.kept[name] = app[1]
            else:
                self.conflict(name, app[1], text, wanted_by)
            return
        locked = self.lock.get(name)
        if locked is None:
            raise Stop(EXIT_PLAN, "%s (needed by %s) is not in the lock" % (name, wanted_by))
        if not self.satisfied(requirement.specifier, locked["version"]):
            raise Stop(EXIT_PLAN, "the lock's %s %s does not meet %s's %s" % (
                name, locked["version"], wanted_by, requirement.specifier))
        self.install[name] = locked["version"]
        for child in locked.get("requires", []):
            self.require(child, self.names[name])

    def conflict(self, name, have, requirement, wanted_by):
        # The range as the requirement writes it ("protobuf >= 5.0, < 7.0"), without a marker.
        self.conflicts.append("%s: the app has %s, %s needs %s" % (
            self.names.get(name, name), have, wanted_by, requirement.split(";")[0].strip()))


def choose_instrumentations(plan, installed, packaging):
    Requirement, Version = packaging[0], packaging[1]
    chosen, notes = [], []
    extras = set(plan.get("extras", []))
    for name, entry in plan["instrumentations"].items():
        if name in plan.get("exclude", []):
            notes.append("%s excluded by the config" % name)
            continue
        libraries = entry.get("libraries", [])
        reason = None
        if not libraries:
            reason = "always"
        for text in libraries:
            library = Requirement(text)
            app = installed.get(canonical(library.name))
            if app is None:
                continue
            try:
                fits = library.specifier.contains(Version(app[1]), prereleases=True)
            except Exception:
                fits = False
            if fits:
                reason = "%s %s" % (app[0], app[1])
                break
            notes.append("%s not instrumented: the app's %s %s is outside %s" % (
                name, app[0], app[1], library.specifier))
        if reason is None and name in extras:
            reason = "added by the config"
        if reason is not None:
            chosen.append((name, entry["package"], reason))
    return chosen, notes


def plan_install(plan, installed, packaging):
    chosen, notes = choose_instrumentations(plan, installed, packaging)
    resolver = Resolver(plan, installed, packaging)
    lock_version = lambda name: resolver.lock[canonical(name)]["version"]
    for root in plan["base"] + [package for _, package, _ in chosen]:
        resolver.require("%s == %s" % (root, lock_version(root)), "cxtm-o11y")
    return chosen, notes, resolver


def pip_environment():
    env = dict(os.environ)
    for name in PIP_ENV_DROPPED:
        env.pop(name, None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run_pip(plan, pins):
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-cache-dir",
               "--no-input", "--target", plan["target"]] + plan.get("pip_args", []) + pins
    say("running pip install --no-deps of %d pinned distributions" % len(pins))
    result = subprocess.run(command, env=pip_environment())
    if result.returncode != 0:
        raise Stop(EXIT_INSTALL, "pip exited %d installing %s (its output is above)" % (
            result.returncode, " ".join(pins)))


def copy_prebuilt(plan, names):
    """Copies each chosen distribution's files (its RECORD) out of the prebuilt folder."""
    staging, target = plan["staging"], plan["target"]
    found = set()
    for folder in sorted(os.listdir(staging)):
        if not folder.endswith(".dist-info"):
            continue
        record = os.path.join(staging, folder, "RECORD")
        with open(os.path.join(staging, folder, "METADATA"), encoding="utf-8") as meta:
            name = next((line.split(":", 1)[1].strip() for line in meta
                         if line.startswith("Name:")), "")
        if canonical(name) not in names:
            continue
        found.add(canonical(name))
        with open(record, encoding="utf-8") as lines:
            for line in lines:
                relative = line.rsplit(",", 2)[0]
                if not relative or relative.startswith(("/", "..")) or "/../" in relative:
                    continue
                source = os.path.join(staging, relative)
                if not os.path.isfile(source):
                    continue
                destination = os.path.join(target, relative)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copyfile(source, destination)
    missing = sorted(set(names) - found)
    if missing:
        raise Stop(EXIT_INSTALL, "the prebuilt image's folder lacks %s: rebuild it with "
                   "`cxtm-o11y render dockerfile`" % ", ".join(missing))


def volume_distributions(target):
    import importlib.metadata as metadata
    return {canonical(d.metadata["Name"]): d.version
            for d in metadata.distributions(path=[target]) if d.metadata["Name"]}


def write_sitecustomize(plan):
    folder = plan["sitecustomize_dir"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "sitecustomize.py"), "w", encoding="utf-8") as out:
        out.write(plan["sitecustomize_text"])
    # The image's own PYTHONPATH (its ENV, which the pod's PYTHONPATH replaces in the app),
    # for the sitecustomize to put back; empty when the pod spec set PYTHONPATH itself.
    image_path = os.environ.get("PYTHONPATH", "") if plan.get("merge_image_pythonpath") else ""
    with open(os.path.join(folder, "image-pythonpath"), "w", encoding="utf-8") as out:
        out.write(image_path)
    if image_path:
        say("the image's PYTHONPATH %s is kept for the app" % image_path)


def main(argv):
    if len(argv) < 3:
        raise Stop(EXIT_PLAN, "usage: installer <plan-json> <sitecustomize> [--dry-run]")
    plan = json.loads(argv[1])
    plan["sitecustomize_text"] = argv[2]
    dry_run = "--dry-run" in argv[3:]
    if sys.version_info < (3, 9):
        raise Stop(EXIT_PYTHON, "OpenTelemetry %s needs Python 3.9 or newer; this image has %s" % (
            plan.get("sdk_version", ""), ".".join(map(str, sys.version_info[:3]))))
    source = plan.get("source", "index")
    if source != "prebuilt":
        try:
            import pip  # noqa: F401
        except ImportError:
            raise Stop(EXIT_NO_PIP, "the image has no pip (python3 -m pip fails), as in distroless "
                       "images and venvs built by uv: set instrumentation.source: prebuilt")
    packaging = load_packaging(plan.get("staging"))
    if packaging is None:
        raise Stop(EXIT_NO_PIP, "neither pip nor packaging is importable to compare versions")
    installed = app_distributions(plan, [plan["target"], plan.get("staging") or plan["target"]])
    chosen, notes, resolver = plan_install(plan, installed, packaging)
    if dry_run:
        print(json.dumps({"instrumentations": [name for name, _, _ in chosen],
                          "install": resolver.install, "kept": resolver.kept,
                          "conflicts": resolver.conflicts, "notes": notes}, sort_keys=True))
        return 0
    if resolver.conflicts:
        raise Stop(EXIT_CONFLICT, "; ".join(resolver.conflicts) + " (the app's versions win: "
                   "change them, or exclude the instrumentation that needs another)")
    say("Python %s; instrumentations: %s" % (
        ".".join(map(str, sys.version_info[:3])),
        ", ".join("%s (%s)" % (name, why) for name, _, why in chosen) or "none"))
    for note in notes:
        say(note)
    if resolver.kept:
        say("the app's own, kept: %s" % ", ".join(
            "%s %s" % (resolver.names.get(n, n), v) for n, v in sorted(resolver.kept.items())))
    pins = ["%s==%s" % (resolver.names[n], v) for n, v in sorted(resolver.install.items())]
    if source == "prebuilt":
        copy_prebuilt(plan, resolver.install)
    elif pins:
        run_pip(plan, pins)
    in_volume = volume_distributions(plan["target"])
    overrides = sorted(n for n in in_volume if n in installed)
    if overrides:
        raise Stop(EXIT_INSTALL, "the volume would override the app's %s" % ", ".join(overrides))
    write_sitecustomize(plan)
    say("added %d: %s; overrides of the app's distributions: 0" % (
        len(in_volume), " ".join("%s==%s" % (n, v) for n, v in sorted(in_volume.items()))))
    return 0


def fail(code, text):
    line = PREFIX + text
    print(line, file=sys.stderr, flush=True)
    try:
        with open("/dev/termination-log", "w") as log:
            log.write(line)
    except OSError:
        pass
    return code


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Stop as stop:
        sys.exit(fail(stop.code, str(stop)))
    except Exception as error:  # a bug here must still say which step, in one line
        sys.exit(fail(EXIT_PLAN, "%s: %s" % (type(error).__name__, error)))
