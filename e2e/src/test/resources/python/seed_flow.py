"""The seed's flow through the official Python client (Debian's python3-kubernetes).

Run by PythonClientTest against a real `roster up`: python3 seed_flow.py KUBECONFIG NAMESPACE.
Prints one "ok <step>" line per step that passed and exits non-zero at the first that did not.
"""
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

kubeconfig, ns = sys.argv[1], sys.argv[2]
config.load_kube_config(config_file=kubeconfig)
core = client.CoreV1Api()
apps = client.AppsV1Api()


def ok(step):
    print("ok " + step, flush=True)


def wait_for(what, predicate, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit("timed out waiting for " + what)


def ready_addresses(ep):
    return sorted(a.ip for s in (ep.subsets or []) for a in (s.addresses or []))


core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
labels = {"app": "pyweb"}
container = client.V1Container(name="web", image="nginx", ports=[client.V1ContainerPort(container_port=80)])
apps.create_namespaced_deployment(ns, client.V1Deployment(
    metadata=client.V1ObjectMeta(name="pyweb", labels=labels),
    spec=client.V1DeploymentSpec(
        replicas=2,
        selector=client.V1LabelSelector(match_labels=labels),
        template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels=labels),
                                          spec=client.V1PodSpec(containers=[container])))))
core.create_namespaced_service(ns, client.V1Service(
    metadata=client.V1ObjectMeta(name="pyweb"),
    spec=client.V1ServiceSpec(selector=labels, ports=[client.V1ServicePort(port=80, target_port=80)])))
ok("create deployment and service")

# watch the Endpoints while scaling: the roster of ready addresses grows to three
seen = []
w = watch.Watch()


def follow():
    for event in w.stream(core.list_namespaced_endpoints, ns, field_selector="metadata.name=pyweb",
                          timeout_seconds=60):
        seen.append((event["type"], ready_addresses(event["object"])))
        if len(ready_addresses(event["object"])) == 3:
            w.stop()


t = threading.Thread(target=follow, daemon=True)
t.start()
wait_for("two ready endpoints", lambda: any(len(a) == 2 for _, a in seen))
apps.patch_namespaced_deployment_scale("pyweb", ns, {"spec": {"replicas": 3}})
t.join(60)
if not seen or len(seen[-1][1]) != 3:
    raise SystemExit("the watch never saw three ready addresses: %r" % seen)
ok("watch endpoints while scaling (%d events)" % len(seen))

# list with a label selector, one item a page
names, token = [], None
while True:
    page = core.list_namespaced_pod(ns, label_selector="app=pyweb", limit=1, _continue=token)
    names += [p.metadata.name for p in page.items]
    token = page.metadata._continue
    if not token:
        break
if len(names) != 3 or len(set(names)) != 3:
    raise SystemExit("paged list gave %r" % names)
if core.list_namespaced_pod(ns, label_selector="app=other").items:
    raise SystemExit("a selector that matches nothing listed pods")
ok("list pods by label, one a page")

# an update from a stale read is a 409 Conflict
core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg"), data={"k": "1"}))
stale = core.read_namespaced_config_map("cfg", ns)
fresh = core.read_namespaced_config_map("cfg", ns)
fresh.data = {"k": "2"}
core.replace_namespaced_config_map("cfg", ns, fresh)
stale.data = {"k": "3"}
try:
    core.replace_namespaced_config_map("cfg", ns, stale)
    raise SystemExit("a stale update was accepted")
except ApiException as e:
    if e.status != 409:
        raise
if core.read_namespaced_config_map("cfg", ns).data != {"k": "2"}:
    raise SystemExit("the stale update changed the object")
ok("409 on a stale update")

# delete with foreground propagation: the pods go with the Deployment
apps.delete_namespaced_deployment("pyweb", ns, body=client.V1DeleteOptions(propagation_policy="Foreground"))
wait_for("the deployment's pods to go",
         lambda: not core.list_namespaced_pod(ns, label_selector="app=pyweb").items)
wait_for("the deployment to go", lambda: not apps.list_namespaced_deployment(ns).items)
ok("delete with foreground propagation")

# deleting the namespace removes what is in it, then the namespace itself
core.delete_namespace(ns)


def namespace_gone():
    try:
        core.read_namespace(ns)
        return False
    except ApiException as e:
        return e.status == 404


wait_for("the namespace to go", namespace_gone)
ok("namespace deletion")
