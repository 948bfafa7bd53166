#!/usr/bin/python3
"""Writes parameter_types.json: nova's parameter_types as JSON, keyed by the
camelCase names of lib/validation/parameter_types.ts (description's huge
pattern replaced by a placeholder; its text is checked by hash).

    /usr/bin/python3 tests/validation/testdata/gen_parameter_types.py > tests/validation/testdata/parameter_types.json
"""
import json
import sys

from nova.api.validation import parameter_types as P

NAMES = [
    'boolean', 'none', 'name_or_none', 'positive_integer', 'non_negative_integer', 'hostname',
    'fqdn', 'name', 'az_name', 'keypair_name_special_chars', 'keypair_name_special_chars_292',
    'az_name_with_leading_trailing_spaces', 'name_with_leading_trailing_spaces', 'description',
    'tcp_udp_port', 'project_id', 'server_id', 'image_id', 'image_id_or_empty_string', 'volume_id',
    'attachment_id', 'volume_type', 'network_id', 'network_port_id', 'admin_password', 'flavor_ref',
    'metadata', 'metadata_with_null', 'mac_address', 'ip_address', 'ipv4', 'ipv6', 'cidr',
    'volume_size', 'disk_config', 'accessIPv4', 'accessIPv6', 'flavor_param_positive',
    'flavor_param_non_negative', 'personality', 'tag', 'pagination_parameters', 'trusted_certs',
    'common_query_param', 'common_query_regex_param',
]


def camel(name):
    if name.startswith('accessIP'):
        return name
    head, *rest = name.split('_')
    return head + ''.join(p[:1].upper() + p[1:] for p in rest)


out = {camel(n): getattr(P, n) for n in NAMES}
out['description'] = dict(P.description, pattern='<valid_description_regex>')
json.dump(out, sys.stdout, indent=2)
sys.stdout.write('\n')
