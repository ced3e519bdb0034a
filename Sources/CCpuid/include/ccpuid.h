#ifndef CCPUID_H
#define CCPUID_H

/// Writes the 12-character hypervisor vendor signature (CPUID leaf 0x40000000, e.g. "KVMKVMKVM",
/// "TCGTCGTCGTCG", "Microsoft Hv") into `out` (13 bytes) and returns 1, or returns 0 when the CPU
/// does not set the hypervisor bit (leaf 1, ECX bit 31) or is not x86.
int clan_cpuid_hypervisor_vendor(char out[13]);

#endif
