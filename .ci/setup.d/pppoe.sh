# PPPoE tests: a real pppd client in a qemu VM (this kernel has no PPP). The VM is built from Debian packages
# (apt-get download, nothing installed on the host but qemu and cpio); about 1-4 minutes, cached in lab/.../vm/.
apt-get install -y -qq --no-install-recommends qemu-system-x86 cpio tshark >/dev/null
lab/pppoe-client-vm/build-vm.sh
