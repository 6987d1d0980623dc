"""Print the load test's table (from locust's CSV) and the memory of each gunicorn worker."""

import csv
import subprocess
import sys


def rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True).stdout
    return int(out.strip() or 0) / 1024


def main(stats_path: str, master_pid: str, tasks: str, users: str) -> int:
    rows = list(csv.DictReader(open(stats_path, encoding="utf-8")))  # noqa: SIM115
    print(f"\nPhép thử tải: {users} người dùng đồng thời, {tasks} nhiệm vụ mô phỏng, gunicorn DEBUG=0\n")
    print(f"{'yêu cầu':<34}{'số lần':>8}{'lỗi':>6}{'trung vị':>10}{'p95':>8}{'p99':>8}{'tối đa':>9}  (ms)")
    for row in rows:
        print(
            f"{row['Type'] + ' ' + row['Name'] if row['Name'] != 'Aggregated' else 'TẤT CẢ':<34}"
            f"{row['Request Count']:>8}{row['Failure Count']:>6}{float(row['Median Response Time']):>10.0f}"
            f"{float(row['95%']):>8.0f}{float(row['99%']):>8.0f}{float(row['Max Response Time']):>9.0f}"
        )
    workers = subprocess.run(["pgrep", "-P", master_pid], capture_output=True, text=True).stdout.split()
    memory = [rss_mb(int(pid)) for pid in workers]
    print("\nBộ nhớ mỗi worker gunicorn sau phép thử (MB): " + ", ".join(f"{m:.0f}" for m in memory))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
