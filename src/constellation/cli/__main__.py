from constellation.cli import main

main()
