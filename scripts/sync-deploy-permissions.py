#!/usr/bin/env python3
"""Copies the per-user NATS permissions that infrastructure/nats-server/setup.sh generates into
deploy/compose/nats.conf and deploy/kubernetes/nats-values.yaml (ManifestsTest fails while they differ).
Run after changing the permission functions of setup.sh."""
import pathlib, re, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent.parent

def generated():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["bash", str(root / "infrastructure/nats-server/setup.sh"), "--prefix", tmp, "--host", "127.0.0.1",
                        "--port", "14999", "--monitor-port", "18999", "--config-only", "--no-provision"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        conf = (pathlib.Path(tmp) / "etc/jetmesh/nats-server.conf").read_text()
    users = {}
    for m in re.finditer(r'user: "([^"]+)"(.*?)(?=user: "|\Z)', conf, re.S):
        block = m.group(2)
        pub = re.search(r'publish: \{ allow: \[(.*?)\] \}', block)
        sub = re.search(r'subscribe: \{ allow: \[(.*?)\] \}', block)
        if pub and sub:
            users[m.group(1)] = (pub.group(1), sub.group(1))
    return users

def parse_list(text):
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text)

def sync_compose(users):
    p = root / "deploy/compose/nats.conf"
    s = p.read_text()
    for user, (pub, sub) in users.items():
        pat = re.compile(r'(user: "' + re.escape(user) + r'".*?publish: \{ allow: \[)(.*?)(\] \}\s*subscribe: \{ allow: \[)(.*?)(\] \})', re.S)
        s, n = pat.subn(lambda m: m.group(1) + pub + m.group(3) + sub + m.group(5), s, count=1)
        if n == 0 and f'user: "{user}"' in s:
            print(f"compose: user {user} has no permissions block", file=sys.stderr)
        # users compose does not run (a namespace without a worker there) are absent from its nats.conf on purpose
    p.write_text(s)

def sync_helm(users):
    p = root / "deploy/kubernetes/nats-values.yaml"
    lines = p.read_text().split("\n")
    out, i, user = [], 0, None
    while i < len(lines):
        line = lines[i]
        m = re.match(r'\s*- user: (\S+)', line)
        if m:
            user = m.group(1)
        m2 = re.match(r'(\s*)(publish|subscribe):\s*$', line)
        if m2 and user in users and i + 1 < len(lines) and lines[i + 1].strip() == "allow:":
            out.append(line)
            out.append(lines[i + 1])
            indent = re.match(r'(\s*)', lines[i + 2]).group(1) if i + 2 < len(lines) else m2.group(1) + "    "
            i += 2
            while i < len(lines) and lines[i].strip().startswith("- \""):
                i += 1
            values = parse_list(users[user][0 if m2.group(2) == "publish" else 1])
            out.extend(f'{indent}- "{v}"' for v in values)
            continue
        out.append(line)
        i += 1
    p.write_text("\n".join(out))

users = generated()
sync_compose(users)
sync_helm(users)
print("synced permissions of", ", ".join(users))
