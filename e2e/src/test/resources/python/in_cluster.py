# Runs inside a process pod: the official client's in-cluster configuration (token and CA from
# /var/run/secrets/kubernetes.io/serviceaccount, the API through KUBERNETES_SERVICE_HOST/PORT) lists Endpoints.
import sys
from kubernetes import client, config

config.load_incluster_config()
with open("/var/run/secrets/kubernetes.io/serviceaccount/namespace") as f:
    namespace = f.read()
eps = client.CoreV1Api().list_namespaced_endpoints(namespace)
names = sorted(e.metadata.name for e in eps.items)
print("ok endpoints in %s: %s" % (namespace, ",".join(names)))
sys.stdout.flush()
