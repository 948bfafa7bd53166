"""Records what nova 26's own metadata code answers for a fixture instance.

Runs nova.api.metadata.base.InstanceMetadata (the installed nova, with the
database, security group and network lookups replaced by the fixture's
values) over the fixture in instance.json, and writes nova26_oracle.json:
for each path, the body (base64) and content type nova's handler sends,
or the error it ends in; and the config drive's files.

    PYTHONPATH=/usr/lib/python3/dist-packages python3 make_oracle.py
    deno fmt nova26_oracle.json

random_seed comes from os.urandom, which is replaced by the fixture's
repeating byte pattern, so the answers are deterministic.
"""

import base64
import json
import os
import sys
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))

import nova.conf  # noqa: E402
from nova import objects  # noqa: E402
from nova.api.metadata import base  # noqa: E402
from nova.network import model as network_model  # noqa: E402
from oslo_utils import encodeutils  # noqa: E402

CONF = nova.conf.CONF


def load_fixture():
    with open(os.path.join(HERE, "instance.json")) as f:
        return json.load(f)


def network_info(fx):
    vifs = []
    for port in fx["ports"]:
        subnet = network_model.Subnet(
            cidr=fx["network"]["cidr"],
            gateway=network_model.IP(address=fx["network"]["gateway"], type="gateway"),
            dns=[], routes=[],
            ips=[network_model.FixedIP(address=port["address"], version=4)])
        network = network_model.Network(
            id=port["network_id"], label=fx["network"]["name"], subnets=[subnet],
            injected=False, mtu=1500)
        vifs.append(network_model.VIF(
            id=port["port_id"], address=port["mac_address"], network=network,
            type="ovs", devname=("tap" + port["port_id"])[:14]))
    return network_model.NetworkInfo(vifs)


def make_instance(fx):
    objects.register_all()
    i = fx["instance"]
    inst = objects.Instance(
        id=1, uuid=i["uuid"], user_id=i["user_id"], project_id=i["project_id"],
        key_name=i["key_name"], key_data=i["key_data"], host="novalet",
        launch_index=i["launch_index"], reservation_id=i["reservation_id"],
        user_data=i["user_data"], image_ref=i["image_ref"], kernel_id="", ramdisk_id="",
        vcpus=1, root_device_name=i["root_device_name"], hostname=i["hostname"],
        display_name=i["display_name"], metadata=i["metadata"], device_metadata=None,
        numa_topology=None, default_ephemeral_device=None, default_swap_device=None,
        system_metadata=i["system_metadata"], availability_zone=i["availability_zone"],
        config_drive="True", launched_at=None)
    inst.ec2_ids = objects.EC2Ids(**fx["ec2_ids"])
    kp = fx["keypair"]
    inst.keypairs = objects.KeyPairList(objects=[
        objects.KeyPair(name=kp["name"], type=kp["type"], public_key=kp["public_key"])])
    inst.flavor = objects.Flavor(name=i["flavor_name"], flavorid="1", memory_mb=512,
                                 vcpus=1, root_gb=1, ephemeral_gb=0, swap=0, extra_specs={})
    inst.info_cache = objects.InstanceInfoCache(
        instance_uuid=inst.uuid, network_info=network_info(fx))
    return inst


def urandom(n, pattern=None):
    pattern = bytes(range(256))
    return (pattern * (n // 256 + 1))[:n]


def answer(md, path):
    """What MetadataRequestHandler sends for `path` (after identification)."""
    try:
        data = md.lookup(path)
    except base.InvalidMetadataPath:
        return {"status": 404}
    except TypeError:
        return {"status": 500}
    if callable(data):
        return {"password": True}
    body = encodeutils.to_utf8(base.ec2_md_print(data))
    return {"status": 200, "mimetype": md.get_mimetype(),
            "body": base64.b64encode(body).decode()}


def main():
    fx = load_fixture()
    CONF([], project="nova")
    with open(os.path.join(HERE, "vendor_data.json"), "rb") as f:
        f.read()
    CONF.set_override("vendordata_jsonfile_path",
                      os.path.join(HERE, "vendor_data.json"), "api")
    inst = make_instance(fx)
    bdms = mock.patch.object(objects.BlockDeviceMappingList, "get_by_instance_uuid",
                             return_value=objects.BlockDeviceMappingList(objects=[]))
    sgs = mock.patch("nova.network.security_group_api.get_instance_security_groups",
                     return_value=[{"name": n} for n in fx["security_groups"]])
    rnd = mock.patch("os.urandom", side_effect=urandom)
    with bdms, sgs, rnd:
        md = base.InstanceMetadata(inst, address=fx["address"])
        answers = {p: answer(md, p) for p in fx["paths"]}
        content = [(f["path"], base64.b64decode(f["contents"])) for f in fx["files"]]
        drive_md = base.InstanceMetadata(
            inst, content=content, extra_md={"admin_pass": fx["admin_pass"]})
        drive = [[p, base64.b64encode(encodeutils.to_utf8(d)).decode()]
                 for p, d in drive_md.metadata_for_config_drive()]
    out = {"answers": answers, "config_drive": drive}
    with open(os.path.join(HERE, "nova26_oracle.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(answers)} answers, {len(drive)} config drive files", file=sys.stderr)


if __name__ == "__main__":
    main()
