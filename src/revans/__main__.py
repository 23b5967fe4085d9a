from revans.cli import main

main()
