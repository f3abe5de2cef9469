#!/bin/sh
# Regenerates crates/gort-trace/src/decode/ioctl/tables.rs (named constants of the ioctl families)
# and names.rs (request names) from strace's lists and the system's uapi headers.
# Usage: scripts/strace-tests/gen-ioctl-tables.sh [STRACE_SRC_DIR]
set -eu
src=${1:-target/strace-tests/strace-6.1}
dir=crates/gort-trace/src/decode/ioctl
here=$(dirname "$0")
python3 "$here/gen-ioctl-names.py" "$src" > "$dir/names.rs"
python3 "$here/gen-ioctl-xlat.py" "$src" "$dir/tables.rs" \
  linux/hdreg.h,linux/counter.h,linux/input.h,linux/fs.h,linux/fiemap.h,linux/audit.h,linux/seccomp.h,linux/ptp_clock.h,linux/gpio.h,linux/nbd.h,linux/lirc.h,linux/sched.h,asm/termbits.h,linux/tty.h,linux/rtc.h,mtd/ubi-user.h,linux/loop.h,mtd/mtd-abi.h,linux/blkpg.h,scsi/sg.h,linux/userfaultfd.h,linux/kvm.h,linux/if.h,linux/if_arp.h,linux/bsg.h,linux/dm-ioctl.h,linux/tee.h,DM_EXISTS_FLAG=4 \
  hdio_drive_cmds hdio_busstates hdio_ide_nice \
  counter_ioctl_component_types counter_ioctl_event_types counter_ioctl_scopes \
  evdev_abs evdev_ev evdev_autorepeat evdev_ff_status evdev_ff_types evdev_keycode evdev_leds \
  evdev_misc evdev_mtslots evdev_prop evdev_relative_axes evdev_snd evdev_switch \
  fs_xflags fiemap_flags fiemap_extent_flags fs_ioc_flags \
  audit_arch seccomp_ioctl_addfd_flags seccomp_ioctl_resp_flags \
  ptp_extts_flags ptp_perout_flags ptp_pin_funcs \
  gpio_line_flags gpio_handle_flags gpio_event_flags gpio_v2_line_flags gpio_v2_line_attr_ids \
  nbd_ioctl_flags lirc_features lirc_modes setns_types \
  tcxonc_options tcflsh_options baud_options modem_flags term_cflags term_cflags_csize term_iflags \
  term_lflags term_oflags term_oflags_bsdly term_oflags_crdly term_oflags_ffdly term_oflags_nldly \
  term_oflags_tabdly term_oflags_vtdly term_line_discs termios_cc \
  rtc_vl_flags rtc_params rtc_features rtc_backup_switch_modes \
  ubi_volume_types ubi_volume_flags ubi_volume_props ubi_data_types \
  loop_flags_options loop_crypt_type_options \
  mtd_mode_options mtd_file_mode_options mtd_type_options mtd_flags_options mtd_otp_options mtd_nandecc_options \
  blkpg_ops sg_scsi_reset \
  uffd_api_features uffd_api_flags uffd_copy_flags uffd_register_mode_flags uffd_register_ioctl_flags uffd_zeropage_flags \
  kvm_mem_flags kvm_cpuid_flags kvm_cap \
  sg_io_dxfer_direction sg_io_flags sg_io_info bsg_protocol bsg_subprotocol bsg_flags dm_flags \
  tee_ioctl_gen_caps tee_ioctl_impl_ids tee_ioctl_login_types tee_ioctl_optee_caps tee_ioctl_origins tee_ioctl_param_attr_types tee_ioctl_shm_flags
