# The real boot media of clan-installer, built by Nix (this needs nixpkgs from the internet; CI only
# checks that these files parse). See docs/boot-media.md.
#
#   nix build ./iso#installer-iso        a USB stick / CD image (write it with dd or a GUI image writer)
#   nix build ./iso#netboot              kernel, initrd and an iPXE script for PXE
#   nix build ./iso#installer-iso-offline  the ISO with the Base OS closure on it, for installs without internet
{
  description = "clan-installer boot media: installer ISO and netboot";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs = { self, nixpkgs, ... }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      clan-installer = pkgs.callPackage ./package.nix { src = ./..; };
      media = modules: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit clan-installer; };
        modules = [ ./modules/installer.nix ] ++ modules;
      };
    in
    {
      packages.${system} = {
        inherit clan-installer;
        installer-iso = (media [
          "${nixpkgs}/nixos/modules/installer/cd-dvd/installation-cd-minimal.nix"
        ]).config.system.build.isoImage;
        installer-iso-offline = (media [
          "${nixpkgs}/nixos/modules/installer/cd-dvd/installation-cd-minimal.nix"
          # The closure of a minimal Base OS on the medium, so `install.offline` needs no binary cache.
          ({ pkgs, ... }: {
            isoImage.storeContents = [
              (nixpkgs.lib.nixosSystem {
                inherit system;
                modules = [ { boot.loader.grub.enable = false; fileSystems."/".device = "none"; system.stateVersion = "25.11"; } ];
              }).config.system.build.toplevel
            ];
          })
        ]).config.system.build.isoImage;
        netboot = let built = (media [ "${nixpkgs}/nixos/modules/installer/netboot/netboot-minimal.nix" ]).config.system.build; in
          pkgs.symlinkJoin {
            name = "clan-installer-netboot";
            paths = [ built.kernel built.netbootRamdisk built.netbootIpxeScript ];
          };
      };
      nixosModules.installer = ./modules/installer.nix;
    };
}
