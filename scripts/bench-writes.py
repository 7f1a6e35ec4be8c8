#!/usr/bin/env python3
"""Concurrent organization creates through the API (see scripts/bench-writes).

Each writer keeps one HTTP/1.1 connection to one app instance (round robin over --urls) and
POSTs /api/v1/organizations as fast as answers come back, for --seconds, spreading creates over
the townships of 泉州. Prints throughput, latency percentiles and the first non-201 answers; writes how many creates
were acknowledged for scripts/bench-writes to compare with the database."""
import argparse, http.client, json, threading, time, urllib.parse


def connect(url):
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)


def call(conn, method, path, token, body=None):
    headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def townships(url, token):
    """The townships of 泉州, county by county (a DivisionList is {"items": [...]})."""
    conn = connect(url)
    def children(code):
        status, body = call(conn, "GET", "/api/v1/divisions?parent=" + code, token)
        assert status == 200, (status, body[:200])
        return json.loads(body)["items"]
    return [d["code"] for county in children("3505") for d in children(county["code"]) if d["level"] == "township"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--created-file", help="where to write how many creates were acknowledged")
    parser.add_argument("--list-townships", action="store_true", help="only print the townships' codes, comma-separated (for the wrk client)")
    args = parser.parse_args()
    urls = args.urls.split(",")
    codes = townships(urls[0], args.token)
    if args.list_townships:
        print(",".join(codes))
        return
    if not args.created_file:
        parser.error("--created-file is needed for a run")
    print(f"{len(codes)} townships; {args.writers} writers over {len(urls)} instance(s) for {args.seconds:.0f} s")
    latencies, errors, created = [], [], []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def writer(index):
        conn = connect(urls[index % len(urls)])
        n = 0
        mine_lat, mine_err, mine_ok = [], [], []
        while time.monotonic() < stop:
            township = codes[(index * 7919 + n) % len(codes)]
            body = {"townshipCode": township, "name": f"基准写入{index}号第{n}个团支部", "orgType": "团支部",
                    "unitCategory": "非公企业", "buildMode": "单独建团", "stage": "已建立", "foundedOn": "2012-11-20",
                    "preparationApprovedOn": "2012-11-01", "memberCount": 5, "dualManagement": False,
                    "secretaryName": "张三", "secretaryPhone": "13800000000"}
            started = time.monotonic()
            try:
                status, payload = call(conn, "POST", "/api/v1/organizations", args.token, body)
            except Exception as error:  # a dropped connection counts as an error, then reconnect
                status, payload = 0, str(error).encode()
                conn = connect(urls[index % len(urls)])
            mine_lat.append(time.monotonic() - started)
            if status == 201:
                mine_ok.append(json.loads(payload)["organization"]["code"])
            else:
                mine_err.append((status, payload[:200].decode(errors="replace")))
            n += 1
        with lock:
            latencies.extend(mine_lat); errors.extend(mine_err); created.extend(mine_ok)

    began = time.monotonic()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print(f"requests {len(latencies)}, created {len(created)}, errors {len(errors)}, {len(created) / elapsed:.0f} creates/s")
    print(f"latency ms: p50 {pct(0.50):.0f}, p90 {pct(0.90):.0f}, p99 {pct(0.99):.0f}, max {latencies[-1] * 1000:.0f}")
    for status, text in errors[:10]:
        print("  error", status, text)
    assert len(set(created)) == len(created), "a code was given twice"

    with open(args.created_file, "w") as out:
        out.write(str(len(created)))
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
