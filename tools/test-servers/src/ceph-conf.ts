/** What {@link cephConf} needs to know about one single-node cluster. */
export interface CephConfInput {
  dir: string;
  fsid: string;
  monPort: number;
  rgwPort: number;
  rgwName: string;
  memstoreBytes: number;
}

/**
 * The ceph.conf of a throwaway single-node cluster: no cephx, one monitor and
 * one memstore OSD (objects live in RAM, capped at `memstoreBytes`), pools of
 * size 1, radosgw's beast frontend on 127.0.0.1, everything (data, logs,
 * sockets) under `dir`. The short paxos intervals make pool creation, and so
 * radosgw's start, take about a second instead of ten.
 */
export function cephConf(c: CephConfInput): string {
  return `[global]
fsid = ${c.fsid}
mon host = v2:127.0.0.1:${c.monPort}
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
ms client mode = crc secure
ms bind ipv4 = true
ms bind ipv6 = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
paxos propose interval = 0.05
paxos min wait = 0.01
run dir = ${c.dir}/run
admin socket = ${c.dir}/run/$name.asok
log file = ${c.dir}/log/$name.log
mon data = ${c.dir}/mon/$name
osd data = ${c.dir}/osd/$name
keyring = ${c.dir}/keyring

[osd]
osd objectstore = memstore
memstore device bytes = ${c.memstoreBytes}

[client.rgw.${c.rgwName}]
rgw frontends = beast endpoint=127.0.0.1:${c.rgwPort}
rgw data = ${c.dir}/rgw
rgw enable usage log = false
`;
}
