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
  linux/hdreg.h,linux/counter.h,linux/input.h,linux/fs.h,linux/fiemap.h,linux/audit.h,linux/seccomp.h,linux/ptp_clock.h,linux/gpio.h,linux/nbd.h,linux/lirc.h,linux/sched.h,asm/termbits.h,linux/tty.h,linux/rtc.h,mtd/ubi-user.h,linux/loop.h,mtd/mtd-abi.h,linux/blkpg.h,scsi/sg.h,linux/userfaultfd.h,linux/kvm.h,linux/if.h,linux/if_arp.h,linux/bsg.h,linux/dm-ioctl.h,linux/tee.h,linux/videodev2.h,linux/kd.h,linux/keyboard.h,DM_EXISTS_FLAG=4,V4L2_CID_MPEG_VIDEO_MPEG2_SLICE_PARAMS=V4L2_CID_CODEC_BASE+250,V4L2_CID_MPEG_VIDEO_MPEG2_QUANTIZATION=V4L2_CID_CODEC_BASE+251 \
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
  tee_ioctl_gen_caps tee_ioctl_impl_ids tee_ioctl_login_types tee_ioctl_optee_caps tee_ioctl_origins tee_ioctl_param_attr_types tee_ioctl_shm_flags \
  v4l2_buf_flags v4l2_buf_flags_ts_src v4l2_buf_flags_ts_type v4l2_buf_types v4l2_capture_modes v4l2_colorspaces \
  v4l2_control_classes v4l2_control_flags v4l2_control_id_bases v4l2_control_ids v4l2_control_query_flags v4l2_control_types \
  v4l2_device_capabilities_flags v4l2_fields v4l2_format_description_flags v4l2_frameinterval_types v4l2_framesize_types \
  v4l2_input_types v4l2_memories v4l2_meta_fmts v4l2_pix_fmts v4l2_sdr_fmts v4l2_sliced_flags v4l2_streaming_capabilities \
  v4l2_tuner_audmodes v4l2_tuner_capabilities v4l2_tuner_rxsubchanses v4l2_tuner_types v4l2_vbi_flags \
  kd_default_led_flags kd_font_flags kd_font_ops kd_kbd_modes kd_kbd_types kd_key_tables kd_key_types kd_keymap_flags \
  kd_key_fn_keys kd_key_fn_key_vals kd_key_spec_keys kd_key_pad_keys kd_key_dead_keys kd_key_cur_keys kd_key_shift_keys \
  kd_key_ascii_keys kd_key_lock_keys kd_key_slock_keys kd_key_brl_keys kd_led_flags kd_meta_vals kd_modes
