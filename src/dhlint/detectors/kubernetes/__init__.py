"""Kubernetes detectors: one module per detection shape, shared by several rules.

Each rule's catalogue entry names its function (``detector: kubernetes.<module>:<function>``):

- ``secrets``: literal credentials in env (DH740), command/args (DH741), ConfigMaps (DH742),
  connection strings (DH743), committed Secret objects (DH744);
- ``endpoints``: unapproved vendor hosts (DH640), plain-text endpoints (DH240), TLS turned off in
  connection settings (DH241), also in operators' custom resources, Argo CD's parameters
  ConfigMap and the Vault injector's pod annotations;
- ``images``: registries not on the approved list (DH641);
- ``network``: Ingress TLS (DH242), exposed Services (DH440), egress NetworkPolicies (DH642);
- ``access``: an MQTT broker's configuration admitting anonymous clients (DH441);
- ``storage``: StorageClass encryption (DH140), hostPath volumes (DH141), PVC retention (DH340);
- ``retention``: Kafka topics' and CloudNativePG backups' retention (DH341);
- ``control_plane``: static pod flags and KubeletConfiguration (DH142, DH243, DH940);
- ``governance``: the classification label (DH840).

Helpers (``_hosts``, ``_values``, ``_classes``, ``_operators``) hold the shared judgments;
``dhlint.credentials`` the credential names and literals the secrets rules of every language
share.
"""
