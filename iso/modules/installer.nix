# What every clan-installer medium carries: the installer, the tools it calls, and a service that
# starts it on tty1 inside a tmux session named "installer", so a helper who logs in over the rescue VPN
# attaches to the very same screen (`tmux attach -t installer`).
{ config, lib, pkgs, clan-installer, ... }:

let
  cfg = config.clan.installer;
  # Reads clan.profile= (and clan.secrets=) from the kernel command line itself.
  start = pkgs.writeShellScript "clan-installer-start" ''
    export PATH=${lib.makeBinPath cfg.tools}:$PATH
    exec ${pkgs.tmux}/bin/tmux new-session -s installer \
      "${clan-installer}/bin/clan-installer auto; echo; echo 'clan-installer has finished. Press Enter for a shell.'; read; exec bash"
  '';
in
{
  options.clan.installer = {
    tools = lib.mkOption {
      type = lib.types.listOf lib.types.package;
      description = "Programs clan-installer runs.";
      default = with pkgs; [
        cryptsetup btrfs-progs dosfstools e2fsprogs util-linux parted mkpasswd
        wireguard-tools yggdrasil openssh tmux nix nixos-install-tools
      ];
    };
  };

  config = {
    environment.systemPackages = [ clan-installer ] ++ cfg.tools;
    boot.initrd.availableKernelModules = [ "dm_crypt" "vfat" "nls_cp437" "nls_iso8859_1" "btrfs" "nvme" "usb_storage" "uas" ];
    boot.supportedFilesystems = [ "btrfs" "vfat" "ext4" ];
    nix.settings.experimental-features = [ "nix-command" "flakes" ];
    networking.hostName = "clan-installer";

    # tty1 belongs to the installer; other consoles stay normal logins for a helper at the machine.
    services.getty.autologinUser = lib.mkForce null;
    systemd.services.clan-installer = {
      description = "clan-installer on tty1";
      after = [ "network-online.target" "systemd-udev-settle.service" ];
      wants = [ "network-online.target" ];
      wantedBy = [ "multi-user.target" ];
      conflicts = [ "getty@tty1.service" ];
      serviceConfig = {
        ExecStart = start;
        StandardInput = "tty";
        StandardOutput = "tty";
        TTYPath = "/dev/tty1";
        TTYReset = true;
        TTYVHangup = true;
        Restart = "no";
      };
    };
  };
}
