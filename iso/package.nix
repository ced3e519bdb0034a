# clan-installer built with nixpkgs' Swift (6.2): the same package as `swift build` here.
{ lib, swift, swiftpm, pkg-config, systemdLibs, util-linux, parted, curl, src }:

swift.stdenv.mkDerivation {
  pname = "clan-installer";
  version = "0.1.0";
  inherit src;
  nativeBuildInputs = [ swift swiftpm pkg-config ];
  buildInputs = [ systemdLibs util-linux parted curl ];
  # FoundationEssentials only: no ICU data in the initrd.
  buildPhase = ''
    runHook preBuild
    swift build -c release --product clan-installer
    runHook postBuild
  '';
  installPhase = ''
    runHook preInstall
    install -Dm755 .build/release/clan-installer $out/bin/clan-installer
    runHook postInstall
  '';
  # libcurl is opened with dlopen("libcurl.so.4") only when a profile is fetched by URL: give the
  # binary a runpath that finds it.
  postFixup = ''
    patchelf --add-rpath ${lib.getLib curl}/lib $out/bin/clan-installer
  '';
  meta = {
    description = "Installer and provisioning appliance of cLAN";
    mainProgram = "clan-installer";
    platforms = lib.platforms.linux;
  };
}
