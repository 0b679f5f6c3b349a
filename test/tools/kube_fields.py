#!/usr/bin/env python3
"""Writes the fields of the Kubernetes API types the API server double serves, for its
unknown-field check (test/fixtures/kube_builtin_fields.h), from the generated models of the
Kubernetes JavaScript client (npm @kubernetes/client-node), which follow the API's OpenAPI spec:

    npm pack @kubernetes/client-node@1.4.0 && tar xzf kubernetes-client-node-1.4.0.tgz
    test/tools/kube_fields.py package/dist/gen/models 1.4.0 > test/testdata/kube-api/fields.json

The output: {"source": ..., "kinds": {"apps/v1/Deployment": "V1Deployment", ...}, "types":
{"V1Deployment": {"apiVersion": "", "metadata": "V1ObjectMeta", ...}, ...}}. A field's value
names the API type of its value, or of each item of an array; "{}" and the type for a map's
values; "" for a scalar, and for a free-form object (RawExtension, FieldsV1), whose content no
schema fixes.
"""
import json
import pathlib
import re
import sys

# The kinds the double serves (test/fixtures/kube_resources.cpp), by apiVersion/kind.
KINDS = {
    "v1/Namespace": "V1Namespace",
    "v1/Pod": "V1Pod",
    "v1/Service": "V1Service",
    "v1/ConfigMap": "V1ConfigMap",
    "v1/Secret": "V1Secret",
    "v1/ServiceAccount": "V1ServiceAccount",
    "v1/Event": "CoreV1Event",
    "v1/Node": "V1Node",
    "apps/v1/Deployment": "V1Deployment",
    "apps/v1/DaemonSet": "V1DaemonSet",
    "apps/v1/StatefulSet": "V1StatefulSet",
    "apps/v1/ReplicaSet": "V1ReplicaSet",
    "rbac.authorization.k8s.io/v1/ClusterRole": "V1ClusterRole",
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "V1ClusterRoleBinding",
    "rbac.authorization.k8s.io/v1/Role": "V1Role",
    "rbac.authorization.k8s.io/v1/RoleBinding": "V1RoleBinding",
    "apiextensions.k8s.io/v1/CustomResourceDefinition": "V1CustomResourceDefinition",
    "authorization.k8s.io/v1/SelfSubjectAccessReview": "V1SelfSubjectAccessReview",
}

# Types of one value: MicroTime is a timestamp string, as Date (Time) is.
SCALARS = {"string", "number", "boolean", "Date", "V1MicroTime", "any", "IntOrString"}


def attributes(models: pathlib.Path, name: str) -> list:
    text = (models / f"{name}.js").read_text()
    found = re.search(name + r"\.attributeTypeMap = (\[.*?\n\]);", text, re.S)
    if not found:
        raise SystemExit(f"{name}.js: no attributeTypeMap")
    return json.loads(found.group(1))


def element_type(type_name: str) -> tuple:
    """The API type of a value, of each item of an array or of each value of a map; and whether
    it is a map's (its keys are names, not fields)."""
    if array := re.fullmatch(r"Array<(.*)>", type_name):
        return element_type(array.group(1))
    if values := re.fullmatch(r"\{ \[key: string\]: (.*); \}", type_name):
        return element_type(values.group(1))[0], True
    return type_name, False


def main() -> None:
    models, version = pathlib.Path(sys.argv[1]), sys.argv[2]
    types: dict = {}
    pending = list(KINDS.values())
    while pending:
        name = pending.pop()
        if name in types:
            continue
        fields = {}
        for attribute in attributes(models, name):
            value, of_map = element_type(attribute["type"])
            if value in SCALARS:
                value = ""
            else:
                pending.append(value)
                value = ("{}" if of_map else "") + value
            fields[attribute["baseName"]] = value
        types[name] = fields
    json.dump({"source": f"@kubernetes/client-node {version}, dist/gen/models",
               "kinds": KINDS, "types": dict(sorted(types.items()))},
              sys.stdout, indent=0, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
