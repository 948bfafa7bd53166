"""A server's life through openstacksdk: create, wait for ACTIVE, list, delete.

Run with Debian's Python and the OS_* variables of a Keystone env file:

    /usr/bin/python3 tests/clients/sdk_server.py --image cirros --flavor m1.cli vm3

Prints one JSON object: what the cloud answered at each step.
"""

import argparse
import json

import openstack


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--flavor", required=True)
    parser.add_argument("name")
    args = parser.parse_args()

    conn = openstack.connect()  # the cloud of the OS_* environment variables
    compute = conn.compute
    endpoint = compute.get_endpoint_data()
    image = conn.image.find_image(args.image, ignore_missing=False)
    flavor = compute.find_flavor(args.flavor, ignore_missing=False)
    server = compute.create_server(
        name=args.name, image_id=image.id, flavor_id=flavor.id, networks="auto")
    server = compute.wait_for_server(server, status="ACTIVE", interval=1, wait=60)
    listed = [(s.id, s.name, s.status) for s in compute.servers(name=args.name)]
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=1, wait=60)
    print(json.dumps({
        "compute_url": endpoint.catalog_url,
        "max_microversion": "%d.%d" % endpoint.max_microversion,
        "image_id": image.id,
        "flavor_id": flavor.id,
        "id": server.id,
        "status": server.status,
        "addresses": server.addresses,
        "listed": listed,
        "found_after_delete": compute.find_server(server.id) is not None,
    }))


if __name__ == "__main__":
    main()
