from martechgov.cli import main

main()
