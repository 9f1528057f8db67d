# Traffic through load-client sessions (PppoeTrafficIT, bench/pppoe-forwarding): iperf3 in namespaces, radclient
# for CoA/Disconnect-Request, tc (iproute2) for the tbf comparison.
apt-get install -y -qq --no-install-recommends iperf3 freeradius-utils iproute2 curl python3 >/dev/null
